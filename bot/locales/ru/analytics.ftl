# Руководителям: планы по клиентам, ABC-анализ, признаки ухода клиентов, /export

## Планы по клиентам
plan-choose-scope = { $name }, { $period }: план на всех клиентов или на одного?
plan-scope-book = 📒 На всех клиентов
plan-scope-client = 🏢 На одного клиента
plan-ask-client = Какой клиент { $name }? Напишите часть названия, ИНН или код из ERP.
plan-client-none = У этого менеджера нет клиента по запросу «{ $query }». Напишите другое название или /cancel.
plan-client-several = Подходят { $count }; какой именно?
plan-ask-client-amount = План по клиенту { $client } на { $period }, в рублях:
plan-saved-client = План по клиенту { $client } на { $period }: { $amount }.
plan-client-line = { "  " }◦ { $client }: { $actual } из { $plan } ({ $percent }), прогноз { $forecast }; нужно { $gap } в рабочий день
import-kind-plans = Планы

## ABC-анализ
abc-button = 📊 ABC
abc-choose-period = ABC-анализ: за какой период?
abc-choose-subject = ABC-анализ, { $period }: клиентов или товаров?
abc-subject-c = 👥 Клиенты
abc-subject-p = 📦 Товары
abc-back-periods = « Периоды
abc-title-clients = 📊 ABC клиентов по отгрузкам, { $period }
abc-title-products = 📊 ABC товаров по заказам, { $period }
abc-empty = В этом периоде выручки нет: классифицировать нечего.
abc-total = Выручка: { $total }
abc-class-clients = { $abc }: { $count ->
        [one] { $count } клиент
        [few] { $count } клиента
       *[many] { $count } клиентов
    }, { $share } выручки ({ $revenue })
abc-class-products = { $abc }: { $count ->
        [one] { $count } товар
        [few] { $count } товара
       *[many] { $count } товаров
    }, { $share } выручки ({ $revenue })
abc-item = • { $name } — { $revenue } ({ $share })
abc-more = … и ещё { $count }
abc-tier-changes = Клиентов, у которых изменится категория: { $count }.
abc-write-tiers = ✍️ Записать в категории
abc-confirm = Записать классы ABC за { $period } в категории клиентов? Изменятся клиентов: { $count } (в A: { $a }, в B: { $b }, в C: { $c }). Каждое изменение попадёт в журнал.
abc-write-yes = ✅ Да, записать
abc-write-no = ✖ Нет
abc-tiers-written = ✅ Категории записаны: изменено клиентов — { $count }.

## Периоды анализа и выгрузки
analytics-period-w = Эта неделя · { $label }
analytics-period-l = Прошлая неделя · { $label }
analytics-period-m = Этот месяц · { $label }
analytics-period-q = Этот квартал · { $label }
analytics-period-p = Прошлый квартал · { $label }
analytics-period-y = Этот год · { $label }

## Признаки ухода в плане дня
agenda-churn-fall = 📉 { $client } — выручка за последние 90 дней упала на { $percent } ({ $recent } против { $previous } до этого)
agenda-churn-silence = 📉 { $client } — нет заказов уже { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    }, обычно заказывает раз в { $gap ->
        [one] { $gap } день
        [few] { $gap } дня
       *[many] { $gap } дней
    }

## /export
export-not-yours = Выгрузка в Excel — для руководителей и администраторов.
export-choose-period = Книга Excel за какой период?
export-empty = За { $period } ничего не было: ни контактов, ни заказов, ни отгрузок, ни претензий, ни планов. Файл не сделан; выберите другой период.
export-preparing = ⏳ Готовлю книгу за { $period }…
export-sent = ✅ Книга за { $period } отправлена. Другой период?
export-caption = 📎 Книга KAM, { $period }
export-sheet-contacts = Контакты
export-sheet-orders = Заказы
export-sheet-receivables = Дебиторка
export-sheet-claims = Претензии
export-sheet-plan = Выполнение плана
export-sheet-abc-clients = ABC клиентов
export-sheet-abc-products = ABC товаров
export-col-when = Когда
export-col-client = Клиент
export-col-manager = Менеджер
export-col-channel = Канал
export-col-outcome = Итог
export-col-summary = Содержание
export-col-number = Номер
export-col-date = Дата
export-col-status = Статус
export-col-amount = Сумма
export-col-ship-date = Дата отгрузки
export-col-shipment = Реализация
export-col-due = Срок оплаты
export-col-open-amount = Долг
export-col-days-overdue = Дней просрочки
export-col-aging = Срок просрочки
export-col-registered = Зарегистрирована
export-col-direction = Направление
export-col-category = Категория
export-col-internal-deadline = Внутренний срок
export-col-legal-deadline = Срок по закону
export-col-description = Описание
export-col-plan = План
export-col-actual = Факт
export-col-fulfilment = Выполнение
export-col-forecast = Прогноз
export-col-gap = Нужно в рабочий день
export-col-days-left = Осталось рабочих дней
export-col-class = Класс
export-col-revenue = Выручка
export-col-share = Доля
export-col-cumulative = Накопленная доля
export-col-article = Артикул
export-col-product = Номенклатура
export-bucket-not-due = не наступил
