cmd-neworder = Принять заказ клиента: /neworder <клиент>

## Заказ в чате (/neworder, ➕ Заказ в карточке клиента)
card-btn-neworder = ➕ Заказ
chat-order-state-waiting = ждёт 1С
chat-order-state-accepted = принят 1С
chat-order-state-paid = оплачен
chat-order-state-shipped = отгружен
chat-order-state-cancelled = отменён
chat-order-ask-client = Чей заказ? Введите название клиента или ИНН.
chat-order-error-no-inn = У клиента { $client } здесь нет ИНН, а 1С находит покупателя заказа по ИНН и КПП: заказ не дошёл бы до 1С. Пусть ИНН клиента внесут в 1С; он придёт со следующей загрузкой.
chat-order-new-title = 🛒 Новый заказ: { $client }
chat-order-edit-title = ✏️ Изменение заказа { $number }: { $client }
chat-order-draft-title = В заказе:
chat-order-draft-line = { $n }. { $product } — { $quantity }
chat-order-ask-product = Выберите товар ниже (обычные для клиента) или введите название или артикул.
chat-order-ask-more = Добавьте ещё товар (ниже или введите название или артикул), ✖ — убрать строку, или нажмите «Готово».
chat-order-no-usual = За последние 90 дней клиент ничего не заказывал: введите название или артикул товара.
chat-order-product-button = { $product } · { $price }
chat-order-remove-button = ✖ { $product }
chat-order-repeat-button = 🔁 Повторить последний заказ
chat-order-done-button = ✅ Готово: дата доставки
chat-order-found = Найдено { $count } по «{ $query }»: выберите.
chat-order-found-none = Товар по «{ $query }» не найден. Введите другое название или артикул.
chat-order-ask-quantity = { $product } ({ $code }): { $price } за { $unit }, на складе: { $stock }.
    Сколько ({ $unit })? Введите число, например 5 или 2,5.
chat-order-ask-quantity-again = Сейчас в заказе { $quantity }: введите новое количество.
chat-order-unit-none = ед.
chat-order-stock-unknown = 1С не сообщала
chat-order-no-price = У товара { $product } нет цены, заказать его нельзя. Выберите другой товар.
chat-order-qty-error-format = Это не количество. Введите число, например 5 или 2,5 (без букв).
chat-order-qty-error-not-positive = Количество должно быть больше нуля.
chat-order-qty-error-decimals = Не больше трёх знаков после запятой, например 2,125.
chat-order-qty-error-pieces = Этот товар считается целыми штуками: введите целое число, например 5.
chat-order-qty-error-too-large = Слишком большое количество для одной строки заказа.
chat-order-line-added = Добавлено: { $product } — { $quantity }.
chat-order-repeated = Последний заказ повторён: те же количества, сегодняшние цены.
chat-order-repeat-left-out = Не вошли (сегодня нет цены): { $products }.
chat-order-repeat-gone = { $count ->
    [one] Не вошёл { $count } товар, который больше не продаётся.
    [few] Не вошли { $count } товара, которые больше не продаются.
   *[other] Не вошли { $count } товаров, которые больше не продаются.
}
chat-order-no-last = У клиента нет прошлого заказа, который можно повторить.
chat-order-repeat-nothing = Ничего из последнего заказа сегодня заказать нельзя (нет цен или товары больше не продаются).
chat-order-error-empty = Сначала добавьте хотя бы один товар.
chat-order-error-too-many-lines = В одном заказе не больше { $max } строк.
chat-order-error-amount = Слишком большая сумма для одного заказа.
chat-order-error-currency = У этих товаров цены в разных валютах; один заказ — одна валюта.
chat-order-error-gone = Один из товаров заказа больше не продаётся. Измените товары.
chat-order-error-no-date = Сначала выберите дату доставки.
chat-order-error-comment = Комментарий слишком длинный (не больше { $max } символов). Пришлите короче.
chat-order-error-taken = 1С уже забрала заказ { $number }: изменить или отменить его в чате больше нельзя.
chat-order-error-cancelled = Заказ { $number } отменён: менять в нём больше нечего.
chat-order-ask-delivery = Дата доставки: выберите рабочий день или введите дату (25.12, завтра).
chat-order-keep-date-button = Оставить { $date }
chat-order-date-past = День { $date } уже прошёл. Выберите сегодня или более поздний рабочий день.
chat-order-date-day-off = { $date } — нерабочий день. Выберите рабочий день.
chat-order-date-too-far = До { $date } больше года. Выберите день пораньше.
chat-order-ask-comment = Комментарий к заказу (куда доставить, кто примет…) или «Пропустить».
chat-order-keep-comment-button = Оставить комментарий
chat-order-summary-title = Проверьте заказ: { $client }
chat-order-summary-line = { $n }. { $product } ({ $code }) — { $quantity } × { $price } = { $amount }
chat-order-stock-short = ⚠️ на складе только { $stock }
chat-order-stock-none = ⚠️ нет на складе
chat-order-summary-total = Итого: { $amount }
chat-order-summary-delivery = Доставка: { $date }
chat-order-summary-comment = Комментарий: { $comment }
chat-order-summary-no-comment = Без комментария.
chat-order-summary-stock-note = ⚠️ Часть количеств больше остатка по данным 1С: заказ можно отправить, срок отгрузки решит 1С.
chat-order-confirm-button = ✅ Подтвердить заказ
chat-order-save-button = ✅ Сохранить изменения
chat-order-change-button = ✏️ Изменить товары
chat-order-created = Заказ { $number } сохранён: { $amount }, доставка { $date }. Он ждёт 1С, которая заберёт его при следующем обмене; когда 1С примет заказ, вы получите сообщение.
chat-order-changed = Заказ { $number } изменён: { $amount }, доставка { $date }. Он ждёт 1С.
chat-order-open-button = 🛒 { $number } · { $state }
chat-order-view-title = Заказ { $number } — { $client }
chat-order-view-state = Состояние: { $state }
chat-order-view-onec = Номер в 1С: { $number }
chat-order-view-onec-dated = Номер в 1С: { $number } от { $date }
chat-order-view-onec-status = Статус в 1С: { $status }
chat-order-view-delivery = Доставка: { $date }
chat-order-view-comment = Комментарий: { $comment }
chat-order-view-line = { $n }. { $product } ({ $code }) — { $quantity } × { $price } = { $amount }
chat-order-view-total = Итого: { $amount }
chat-order-view-taken = Принят в чате: { $at }
chat-order-edit-button = ✏️ Изменить
chat-order-cancel-button = ✖ Отменить заказ
chat-order-ask-cancel = Отменить заказ { $number } клиента { $client }?
chat-order-cancel-yes-button = ✖ Да, отменить
chat-order-cancel-no-button = « Нет, оставить
chat-order-cancelled = Заказ { $number } отменён.
chat-orders-section = Приняты в чате, открытые ({ $count }):
chat-orders-section-line = • { $number } · { $client } · { $amount } · доставка { $date } · { $state }
