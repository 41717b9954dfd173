## 1C's site exchange ("Обмен с сайтами"): /sync's part and the orders' news

exchange-off = 🔌 Site exchange with 1C: off (set ONEC_EXCHANGE_USER and ONEC_EXCHANGE_PASSWORD, and HTTP_PORT).
exchange-title = 🔌 <b>Site exchange with 1C</b> (1C calls the bot at …/1c_exchange):
exchange-never = 1C has not called yet.
exchange-step-catalog-import = catalog and offers
exchange-step-sale-import = 1C's answer about orders
exchange-step-sale-query = orders handed to 1C
exchange-step-sale-success = 1C confirmed taking orders
exchange-step-catalog-success = catalog exchange finished
exchange-run-ok = ✅ { $when } · { $step } · { $file }: { $products } products, { $prices } prices, { $stock } stock lines, { $orders } orders
exchange-run-running = ⏳ { $when } · { $step } · { $file }: running
exchange-run-failed = ❌ { $when } · { $step } · { $file }: { $error }

exchange-order-accepted = ✅ 1C accepted order { $number } for { $client }: 1C's number { $onec_number }.
exchange-order-paid = 💰 Order { $number } for { $client } (1C { $onec_number }) is paid.
exchange-order-shipped = 🚚 Order { $number } for { $client } (1C { $onec_number }) is shipped.
exchange-order-cancelled = ❌ Order { $number } for { $client } (1C { $onec_number }) was cancelled in 1C.
exchange-order-waiting = Order { $number } for { $client } is waiting for 1C again.
