cmd-stock = Остатки и цена: /stock <товар или артикул>

## /stock
stock-ask = Какой товар? Пришлите артикул или часть названия.
stock-none = Нет товара по запросу «{ $query }».
stock-found = Товары по запросу «{ $query }»:
stock-found-page = Товары по запросу «{ $query }» (стр. { $page }):
stock-line = { $number }. { $name } ({ $code }) — { $stock } · { $price }
stock-short-out = нет в наличии
stock-short-no-data = нет данных об остатках
stock-title = 📦 { $name } ({ $code })
stock-no-data = Нет данных об остатках из 1С.
stock-as-of = Остатки на { $when }:
stock-warehouse = • { $warehouse }: { $quantity }
stock-total = Всего: { $quantity }
stock-total-out = Всего: { $quantity } (нет в наличии)
stock-price = Цена: { $price }
stock-price-none = Цена: не задана
stock-next = Следующая цена: { $arrow }{ $price } с { $date }{ $change }
stock-next-none = Изменений цены не запланировано.
stock-list-stale = Этот список устарел: отправьте /stock ещё раз.
stock-and-more = и ещё { $count }

## Карточка клиента и утренняя сводка
card-out-of-stock = 📦 Нет в наличии из обычных товаров: { $products }
digest-out-of-stock = 📦 Нет в наличии для ваших клиентов:
digest-out-of-stock-line = • { $client }: { $products }
