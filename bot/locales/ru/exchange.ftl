## Обмен с сайтами 1С: часть /sync и новости о заказах

exchange-off = 🔌 Обмен с сайтом 1С: выключен (задайте ONEC_EXCHANGE_USER и ONEC_EXCHANGE_PASSWORD, и HTTP_PORT).
exchange-title = 🔌 <b>Обмен с сайтом 1С</b> (1С обращается к боту по адресу …/1c_exchange):
exchange-never = 1С ещё не обращалась.
exchange-step-catalog-import = каталог и предложения
exchange-step-sale-import = ответ 1С о заказах
exchange-step-sale-query = заказы переданы в 1С
exchange-step-sale-success = 1С подтвердила приём заказов
exchange-step-catalog-success = обмен каталогом завершён
exchange-run-ok = ✅ { $when } · { $step } · { $file }: товаров { $products }, цен { $prices }, строк остатков { $stock }, заказов { $orders }
exchange-run-running = ⏳ { $when } · { $step } · { $file }: идёт
exchange-run-failed = ❌ { $when } · { $step } · { $file }: { $error }

exchange-order-accepted = ✅ 1С приняла заказ { $number } для { $client }: номер в 1С { $onec_number }.
exchange-order-paid = 💰 Заказ { $number } для { $client } (1С { $onec_number }) оплачен.
exchange-order-shipped = 🚚 Заказ { $number } для { $client } (1С { $onec_number }) отгружен.
exchange-order-cancelled = ❌ Заказ { $number } для { $client } (1С { $onec_number }) отменён в 1С.
exchange-order-waiting = Заказ { $number } для { $client } снова ждёт 1С.
