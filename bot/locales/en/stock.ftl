cmd-stock = Stock and price: /stock <product or article>

## /stock
stock-ask = Which product? Send its article or a part of its name.
stock-none = No product matches "{ $query }".
stock-found = Products matching "{ $query }":
stock-found-page = Products matching "{ $query }" (page { $page }):
stock-line = { $number }. { $name } ({ $code }) — { $stock } · { $price }
stock-short-out = out of stock
stock-short-no-data = no stock data
stock-title = 📦 { $name } ({ $code })
stock-no-data = No stock data from 1C.
stock-as-of = Stock as of { $when }:
stock-warehouse = • { $warehouse }: { $quantity }
stock-total = Total: { $quantity }
stock-total-out = Total: { $quantity } (out of stock)
stock-price = Price: { $price }
stock-price-none = Price: not set
stock-next = Next price: { $arrow }{ $price } from { $date }{ $change }
stock-next-none = No price change scheduled.
stock-list-stale = This list is out of date: send /stock again.
stock-and-more = and { $count } more

## The client card and the morning digest
card-out-of-stock = 📦 Out of stock of the usual products: { $products }
digest-out-of-stock = 📦 Out of stock for your clients:
digest-out-of-stock-line = • { $client }: { $products }
