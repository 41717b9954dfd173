## Команды
cmd-start = Начать и показать главное меню
cmd-help = Что я умею
cmd-menu = Показать главное меню
cmd-settings = Язык, часовой пояс, час сводки
cmd-invite = Пригласить менеджера или руководителя
cmd-users = Пользователи, роли и команды
cmd-cancel = Выйти из текущего диалога

## Кнопки главного меню
menu-help = ❓ Помощь
menu-settings = ⚙️ Настройки
menu-invite = ➕ Пригласить
menu-users = 👥 Пользователи
menu-shown = Главное меню.

## Роли и языки
role-admin = администратор
role-supervisor = руководитель
role-manager = менеджер по ключевым клиентам
role-department = сотрудник отдела
language-ru = Русский
language-en = English

## Доступ и приглашения
access-invite-only = KAM Assistant работает только по приглашениям. Попросите у администратора ссылку-приглашение и откройте её.
start-welcome = Добро пожаловать, { $name }! Ваша роль: { $role }. Пользуйтесь меню ниже или /help.
start-invite-used = Это приглашение уже использовано. Попросите у администратора новое.
start-invite-expired = Срок действия приглашения истёк. Попросите у администратора новое.
start-invite-unknown = Ссылка-приглашение недействительна. Проверьте ссылку или попросите у администратора новую.

## Помощь, отмена, прочее
help-title = Ваша роль: { $role }. Команды:
help-claims-settings = /claims settings — отделы, которым уходят претензии
cancel-done = Отменено. Ничего не сохранено.
cancel-nothing = Отменять нечего.
unknown-message = Не понял. Что я умею — в /help.
error-not-available = Это вам недоступно (или уже не существует).
error-not-allowed = У вас нет прав на это действие.
error-unexpected = Извините, у нас что-то пошло не так. Ошибка записана; попробуйте ещё раз.

## Кнопки
button-skip = Пропустить
button-back = « Назад

## Личные настройки
settings-current =
    Ваши настройки
    Язык: { $language }
    Часовой пояс: { $timezone }
    Утренняя сводка: { $hour }
settings-language = Язык
settings-timezone = Часовой пояс
settings-digest = Час утренней сводки
settings-company = Настройки компании
settings-choose-language = Выберите язык:
settings-language-changed = Язык изменён на русский.
settings-choose-timezone = Выберите часовой пояс или напишите его название IANA (например, Europe/Moscow или Asia/Novosibirsk):
settings-timezone-invalid = «{ $value }» — такого часового пояса я не знаю. Напишите название IANA, например Europe/Moscow, или нажмите кнопку.
settings-choose-digest = В котором часу по местному времени присылать утреннюю сводку? Нажмите кнопку или напишите час, например 8.
settings-hour-invalid = Не понимаю час. Напишите час от 0 до 23, например 8 или 08:00, или нажмите кнопку.
settings-hour-minutes = Сводка приходит ровно в начале часа: напишите, например, 8 или 9, или нажмите кнопку.
tz-Europe-Kaliningrad = Калининград (МСК−1)
tz-Europe-Moscow = Москва (МСК)
tz-Europe-Samara = Самара (МСК+1)
tz-Asia-Yekaterinburg = Екатеринбург (МСК+2)
tz-Asia-Omsk = Омск (МСК+3)
tz-Asia-Novosibirsk = Новосибирск (МСК+4)
tz-Asia-Krasnoyarsk = Красноярск (МСК+4)
tz-Asia-Irkutsk = Иркутск (МСК+5)
tz-Asia-Yakutsk = Якутск (МСК+6)
tz-Asia-Vladivostok = Владивосток (МСК+7)
tz-Asia-Magadan = Магадан (МСК+8)
tz-Asia-Kamchatka = Камчатка (МСК+9)
settings-saved = Сохранено.

## Настройки компании
company-settings-title = Настройки компании (изменения записываются в журнал):
company-setting-prompt =
    { $name }: сейчас { $value }.
    Пришлите новое значение. { $hint }
    /cancel оставит текущее.
company-setting-saved = { $name }: теперь { $value }.
setting-invite_ttl_days = Срок действия приглашения, дней
setting-invite_ttl_days-hint = Целое число дней от 1 до 90.
setting-quiet_hours = Тихие часы
setting-quiet_hours-hint = Два местных времени, например 21:00-08:00.
setting-cadence_a_days = Периодичность контакта для категории A, дней
setting-cadence_a_days-hint = Целое число дней от 1 до 365.
setting-cadence_b_days = Периодичность контакта для категории B, дней
setting-cadence_b_days-hint = Целое число дней от 1 до 365.
setting-cadence_c_days = Периодичность контакта для категории C, дней
setting-cadence_c_days-hint = Целое число дней от 1 до 365.
setting-default_digest_hour = Час сводки для новых пользователей
setting-default_digest_hour-hint = Час от 0 до 23.
setting-calendar_country = Страна производственного календаря
setting-calendar_country-hint = Двухбуквенный код страны, например RU, KZ или BY.
setting-calendar_overrides = Особые дни компании
setting-calendar_overrides-hint = Даты со словом «рабочий» или «выходной» через точку с запятой, например: 31.12.2026 выходной; 26.12.2026 рабочий. Пришлите -, чтобы очистить.
setting-error-calendar = Укажите каждую дату как ДД.ММ.ГГГГ и слово «рабочий» или «выходной», через точку с запятой. Ничего не изменено; пришлите другое значение или /cancel.
setting-error-country = Для такого кода страны производственного календаря нет. Ничего не изменено; пришлите другое значение или /cancel.
setting-digest_cutoff_hour = Крайний час для опоздавшей сводки
setting-digest_cutoff_hour-hint = Час от 0 до 23: после перезапуска пропущенная сводка отправляется до этого часа.
setting-overdue_alert_amount = Сигнал о просрочке от, руб.
setting-overdue_alert_amount-hint = Целое число: по реализациям от этой суммы приходит сигнал в первый рабочий день просрочки.
setting-price_buyers_months = Изменения цен: покупатели за N месяцев
setting-price_buyers_months-hint = Целое число месяцев от 1 до 60.
setting-price_reminder_days = Изменения цен: повтор за N дней
setting-price_reminder_days-hint = Целое число дней от 1 до 60.
setting-claim_internal_days = Претензии: внутренний срок, рабочих дней
setting-claim_internal_days-hint = Целое число рабочих дней от 1 до 120.
setting-claim_legal_days = Претензии: срок ответа по закону, календарных дней
setting-claim_legal_days-hint = Целое число дней от 1 до 365 (30 — претензионный срок по АПК РФ).
setting-payment_claim_after_days = Претензия об оплате после просрочки, дней
setting-payment_claim_after_days-hint = Целое число дней от 1 до 365.
setting-plan_actual_basis = Выполнение плана считается по
setting-plan_actual_basis-hint = «отгрузки» (реализации периода) или «оплаты» (поступления периода).
setting-error-basis = Напишите «отгрузки» или «оплаты». Ничего не изменено; пришлите другое значение или /cancel.
setting-team_daily_hour = Ежедневная сводка по команде, час
setting-team_daily_hour-hint = Час от 0 до 23 по местному времени руководителя, в рабочие дни.
setting-team_weekly_day = Недельная сводка, день недели
setting-team_weekly_day-hint = 1 — понедельник … 7 — воскресенье (если день нерабочий, сводка придёт в следующий рабочий).
setting-team_weekly_hour = Недельная сводка, час
setting-team_weekly_hour-hint = Час от 0 до 23 по местному времени получателя.
setting-abc_thresholds = Границы ABC-анализа, % выручки
setting-abc_thresholds-hint = Две накопленные доли, например 80/95: A — первые 80 % выручки, B — до 95 %, C — остальное.
setting-error-abc = Напишите два целых процента, A меньше B, например 80/95. Ничего не изменено; пришлите другое значение или /cancel.
setting-churn_drop_percent = Сигнал оттока: падение выручки, %
setting-churn_drop_percent-hint = Ключевой клиент, чья выручка за последние 90 дней упала больше чем на эту долю к 90 дням до них (от 1 до 100).
setting-churn_silence_factor = Сигнал оттока: пауза, во сколько раз дольше обычной
setting-churn_silence_factor-hint = Ключевой клиент, который не заказывает дольше, чем столько его обычных интервалов между заказами (от 1 до 10).
setting-error-positive-int = Это не целое число из допустимого диапазона. Ничего не изменено; пришлите другое значение или /cancel.
setting-error-hour = Это не час от 0 до 23. Ничего не изменено; пришлите другое значение или /cancel.
setting-error-quiet-hours = Укажите тихие часы двумя временами, например 21:00-08:00. Ничего не изменено; пришлите другое значение или /cancel.

## Приглашения
invite-choose-role = Кого приглашаете?
invite-role-chosen = Приглашение: { $role }.
invite-no-supervisors = Руководителей пока нет. Сначала пригласите руководителя, затем его менеджеров.
invite-choose-supervisor = В чью команду войдёт менеджер?
invite-ask-erp-name = Команда: { $supervisor }. Пришлите имя или код менеджера так, как его пишет учётная система (1С), например «Иванов Иван Иванович», или нажмите «Пропустить».
invite-erp-name-too-long = Слишком длинное имя (не больше 256 символов). Пришлите короче или нажмите «Пропустить».
invite-created =
    Приглашение ({ $role }):
    { $link }
    Действует один раз, истекает через { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    }. Отправьте его человеку лично.
invite-error-role = Пригласить можно только менеджера или руководителя.
invite-error-no-supervisor = Выберите действующего руководителя для менеджера.

## Пользователи
users-list = Пользователей: { $total } (страница { $page }). Нажмите на пользователя, чтобы изменить роль или команду.
users-card =
    { $name } ({ $username })
    Роль: { $role }
    { $team }
    Имя в учётной системе: { $erp }
    Статус: { $status }
    Язык: { $language }, часовой пояс: { $timezone }
users-card-team = Команда ({ $count }): { $members }
users-card-supervisor = Руководитель: { $name }
users-status-active = активен
users-status-inactive = отключён
users-change-role = Изменить роль
users-change-team = Изменить команду
users-deactivate = Отключить
users-activate = Включить снова
users-confirm-deactivate = Да, отключить
users-confirm-deactivate-text = Отключить { $name }? Доступ пропадёт сразу; история сохранится.
users-choose-role = Новая роль для { $name }:
users-choose-team = В чью команду перевести { $name }?
users-saved = Сохранено.
users-error-self = Нельзя менять собственную роль или отключать себя.
users-error-not-manager = В команде может состоять только менеджер.

## Доставка
outbox-alert-failed = Проблема доставки: уведомление №{ $id } ({ $kind }) в чат { $chat } не доставлено после нескольких попыток. Последняя ошибка: { $error }
outbox-alert-dead = Проблема доставки: Telegram отклонил уведомление №{ $id } ({ $kind }) в чат { $chat }: { $error }
outbox-user-unreachable = { $name } заблокировал(а) бота (или удалил(а) Telegram), напоминания не доходят. Попросите открыть бота снова и нажать «Старт».

## Клиенты: команды и меню
cmd-today = План на сегодня: шаги, забытые ключевые клиенты
cmd-clients = Мои клиенты по категориям
cmd-log = Записать контакт (или /log Клиент: что было; далее: шаг +2)
cmd-client = Найти клиента: /client <название, ИНН или код>
cmd-history = История клиента: /history <клиент>
menu-today = 📅 Сегодня
menu-clients = 🏢 Клиенты
menu-log = ✍️ Контакт

## Термины
tier-A = A — ключевой
tier-B = B
tier-C = C
channel-call = Звонок
channel-meeting = Встреча
channel-visit = Визит
channel-email = Письмо
channel-messenger = Мессенджер
channel-presentation = Презентация
outcome-positive = 👍 Хорошо
outcome-neutral = ➖ Нейтрально
outcome-negative = 👎 Плохо
stage-lead = Интерес
stage-qualified = Квалифицирован
stage-proposal = Предложение
stage-negotiation = Переговоры
stage-won = Выиграна
stage-lost = Проиграна
buying-role-decision_maker = ЛПР
buying-role-influencer = влияет на решение
buying-role-user = пользователь
buying-role-gatekeeper = секретарь / фильтр
buying-role-other = другое

## Карточка клиента
card-inn = ИНН { $inn }, КПП { $kpp }
card-owner = Менеджер: { $owner }
card-last-contact = Последний контакт: { $when }, { $channel }, { $outcome }: { $summary }
card-no-contact = Контактов пока нет.
card-next-step = Следующий шаг { $when }: { $text }
card-persons = Контактные лица:
card-opportunities = Открытые возможности ({ $count }):
card-competitors = Конкуренты:
card-btn-log = ✍️ Контакт
card-btn-history = 🕘 История
card-btn-persons = 👤 Лица
card-btn-opportunity = 💼 Возможность
card-btn-competitor = 🥊 Конкурент
card-btn-reassign = 🔁 Передать

## Списки и поиск
clients-none = Клиентов пока нет. Добавьте кнопкой ниже или напишите часть названия для поиска.
clients-title = Ваши клиенты: { $total }
clients-tier = — Категория { $tier } —
clients-new = ➕ Новый клиент
search-nothing = По запросу «{ $query }» ничего не найдено.
search-found = Найдено { $count } по запросу «{ $query }»:
client-ask-query = Напишите после /client часть названия клиента, ИНН или код, или просто отправьте это сообщением.
history-ask-client = Какой клиент? /history <часть названия или ИНН>
history-empty = { $client }: в истории пока ничего нет.
history-title = { $client }: история ({ $total }), сначала новые
agenda-title = План на { $date } ({ $total }):
agenda-empty = На { $date } ничего не запланировано. 🎉
agenda-today = сегодня
agenda-overdue = просрочено на { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    }
agenda-follow-up = { $client } — { $text } ({ $when })
agenda-neglected = { $client } — контакт просрочен на { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    } (категория { $tier })
agenda-opportunity = { $client }: прошёл срок закрытия «{ $title }» ({ $date })

## Новый клиент
newclient-ask-name = Название нового клиента (как в договоре, например ООО «Ромашка»):
newclient-ask-inn = ИНН (10 или 12 цифр) или «Пропустить» для иностранного клиента:
newclient-ask-kpp = КПП (9 символов) для филиала или «Пропустить»:
newclient-ask-tier = Категория:
newclient-created = Клиент добавлен.
client-error-name = Название — от 1 до 512 символов. Пришлите ещё раз.
client-error-inn = Это неверный ИНН: нужно 10 или 12 цифр с правильной контрольной цифрой. Пришлите ещё раз или нажмите «Пропустить».
client-error-kpp = Это неверный КПП: 9 символов (4 цифры, 2 цифры или буквы, 3 цифры). Пришлите ещё раз или нажмите «Пропустить».
client-error-duplicate = Такой клиент уже есть: { $name }. Ничего не добавлено.
client-duplicate-open = Открыть существующую карточку:

## Контактные лица
persons-title = { $client }: контактные лица ({ $count })
persons-add = ➕ Добавить лицо
persons-remove = Убрать: { $name }
persons-erase = Стереть персональные данные: { $name }
persons-updated = Обновлено.
person-ask-name = { $client }: ФИО контактного лица или поделитесь контактом из телефонной книги:
person-error-name = ФИО — от 1 до 256 символов. Пришлите ещё раз.
person-ask-position = Должность (или «Пропустить»):
person-ask-role = Роль в принятии решения о покупке:
person-ask-phone = Телефон (или «Пропустить»):
person-error-phone = Не похоже на номер телефона. Пришлите ещё раз или нажмите «Пропустить».
person-ask-email = Эл. почта (или «Пропустить»):
person-error-email = Не похоже на адрес эл. почты. Пришлите ещё раз или нажмите «Пропустить».
person-saved = { $name }: добавлено.

## Возможности, конкуренты, передача
opportunity-ask-title = { $client }: что за возможность? (например, «Договор на объём I квартала»)
opportunity-ask-amount = Сумма в рублях (например, 1 250 000 или 99500,50):
opportunity-ask-close = Ожидаемая дата закрытия (25.12, 25.12.2026, +30…):
opportunity-choose-stage = Этап «{ $title }»:
competitor-ask-name = { $client }: какой конкурент?
competitor-ask-note = Что он сделал? (предложение, скидка, визит…)
competitor-ask-price = Цена, которую вы видели (или «Пропустить»):
reassign-choose = { $client }: какому менеджеру передать?
saved = Сохранено.
handover-confirm = Передать { $client }? Новый менеджер: { $owner }. Прошлые результаты останутся за прежним менеджером ({ $previous }), а с сегодняшнего дня всё пойдёт в зачёт нового. Открытые шаги и возможности перейдут вместе с клиентом.
handover-confirm-first = Передать { $client }? Новый менеджер: { $owner }. Открытые шаги и возможности перейдут вместе с клиентом.
handover-yes = ✅ Да, передать
handover-no = ✖ Отмена
handover-done = Теперь { $client } ведёт { $owner }. Прошлые результаты остаются за прежним менеджером ({ $previous }). Оба получили уведомление.
handover-done-first = Теперь { $client } ведёт { $owner }; уведомление отправлено.
handover-error-same = Этот менеджер уже ведёт клиента.
handover-error-changed = Менеджер клиента уже не тот, о котором был вопрос, поэтому ничего не изменилось. Карточка клиента сейчас:
handover-lost = Клиент { $client } передан: теперь его ведёт { $owner }. Открытые шаги и возможности перешли вместе с ним, а ваши результаты по клиенту до передачи остаются за вами.
handover-got = Теперь вы ведёте клиента { $client } — вместе с открытыми шагами и возможностями. Прежний менеджер — { $previous }: результаты до передачи остаются за ним, а с сегодняшнего дня всё идёт в ваш зачёт.
handover-got-first = Теперь вы ведёте клиента { $client } — вместе с открытыми шагами и возможностями.
handover-deactivated = { $name } отключён(а); его/её клиенты ({ $count }) теперь у вас. Пожалуйста, распределите их (/clients → карточка → «Передать»).
handover-import-title = 📥 Импорт из ERP изменил список ваших клиентов.
handover-import-got = { $count ->
        [one] К вам перешёл { $count } клиент
        [few] К вам перешли { $count } клиента
       *[many] К вам перешли { $count } клиентов
    } — вместе с открытыми шагами и возможностями.
handover-import-got-new = Новых, без менеджера: { $count }.
handover-import-got-from = От других менеджеров: { $managers }. Результаты до передачи остаются за прежними менеджерами, а с сегодняшнего дня всё идёт в ваш зачёт.
handover-import-lost = { $count ->
        [one] От вас к другим менеджерам перешёл { $count } клиент
        [few] От вас к другим менеджерам перешли { $count } клиента
       *[many] От вас к другим менеджерам перешли { $count } клиентов
    }: { $managers }. Открытые шаги и возможности перешли вместе с ними, а ваши результаты до передачи остаются за вами.
handover-import-manager = { $name } — { $count }
handover-import-clients = Клиенты: { $names }.
handover-import-more = { $names } и ещё { $count }

## Запись контакта
log-ask-client = Какой клиент? Нажмите недавнего или напишите часть названия:
log-ask-client-none = Какой клиент? Напишите часть названия:
log-ask-channel = { $client }: как общались?
log-ask-person = С кем?
log-ask-summary = Что было? (пара слов)
log-ask-outcome = Итог:
log-ask-next-step = Следующий шаг (текстом) или без следующего шага:
log-no-next-step = Без следующего шага
log-ask-when = Когда? Нажмите или напишите 25.12, 25.12 14:30, завтра, +3, пт:
when-tomorrow = Завтра
when-3 = +3 дня
when-7 = +неделя
when-14 = +2 недели
log-saved = Контакт записан.
log-saved-next = Контакт записан. Следующий шаг { $when }: { $text }
log-quick-choose = Под «{ $query }» подходят несколько клиентов. Какой?
log-quick-nothing = Среди ваших клиентов нет «{ $query }». Напишите другую часть названия, ИНН или код из 1С — или /cancel. Пока ничего не записано.
log-quick-ask-when = Когда следующий шаг «{ $step }»? Нажмите кнопку или напишите 25.12, 25.12 14:30, завтра, +3, пт. Контакт запишу, когда будет дата.
quicklog-error-date = Не могу прочитать «{ $value }» как дату следующего шага: { $reason } Ничего не записано.
log-next-moved = { $day } — выходной, поэтому шаг перенесён на ближайший рабочий день.
log-next-day-off = Обратите внимание: по календарю компании это выходной день.
quicklog-error-format = Напишите так: /log Клиент: что было; далее: следующий шаг +2
text-error-too-long = Слишком длинный текст (не больше 4000 символов). Пришлите короче.
text-error-empty = Пришлите, пожалуйста, текст.
amount-error = Это не сумма. Напишите число, например 1 250 000 или 99500,50.
date-error-format = Не понимаю дату. Попробуйте 25.12, 25.12.2026, 25.12 14:30, завтра, +3 или пт.
date-error-invalid = Такой даты нет. Пришлите другую.
date-error-time = Такого времени нет. Пишите ЧЧ:ММ, например 14:30.
date-error-past = Этот момент уже прошёл. Пришлите дату в будущем.
date-why-invalid = такой даты нет.
date-why-time = такого времени нет (пишите ЧЧ:ММ, например 14:30).
date-why-format = это не похоже на дату (попробуйте 25.12, 25.12.2026, завтра, +3 или пт).
dialog-use-buttons = Выберите, пожалуйста, кнопкой выше или /cancel.

## Editing
card-holding = Холдинг: { $holding }
card-members = В холдинге { $count ->
        [one] { $count } компания
        [few] { $count } компании
       *[many] { $count } компаний
    }: { $names }. Открытые возможности группы: { $pipeline }
card-btn-edit = ✏️ Изменить
edit-client-menu = { $client }: что изменить?
edit-field-name = Название
edit-field-kpp = КПП
edit-field-holding = Холдинг
edit-key-on = ★ Сделать ключевым
edit-key-off = ☆ Не ключевой
edit-ask-name = Новое название:
edit-ask-kpp = Новый КПП (9 символов) или -, чтобы очистить:
edit-ask-holding = Напишите часть названия холдинга (головной компании) или -, чтобы выйти из холдинга:
holding-error = Холдингом не может быть сам клиент или участник другого холдинга.
edit-person-menu = { $name }: что изменить?
edit-field-full_name = ФИО
edit-field-position = Должность
edit-field-buying_role = Роль в закупке
edit-field-phone = Телефон
edit-field-email = Эл. почта
edit-field-birthday = День рождения
edit-field-note = Заметка
edit-ask-person-field = { $field }: пришлите новое значение или -, чтобы очистить.
edit-ask-birthday = День рождения в виде ДД.ММ.ГГГГ или -, чтобы очистить:
person-error-birthday = Напишите дату рождения как ДД.ММ.ГГГГ, например 05.03.1980.
persons-edit = ✏️ { $name }

## Данные учётной системы
cmd-debts = Дебиторка: долг, просрочка, по срокам (/debts <клиент>)
cmd-orders = Последние заказы (/orders <клиент>)
cmd-order = Заказ: /order <номер>
cmd-prices = Цены: /prices <товар или артикул>
cmd-import = Загрузить выгрузку из учётной системы (пришлите файл)
menu-debts = 💰 Долги
menu-orders = 📦 Заказы
debts-none = Дебиторской задолженности нет.
debts-title = Долг: { $total }, просрочено: { $overdue }
debts-aging = Просрочка по срокам: 1–30 дн.: { $b1 } · 31–60 дн.: { $b2 } · 61–90 дн.: { $b3 } · более 90 дн.: { $b4 }
debts-advance = Авансы (переплата): { $amount }
debts-by-manager = По менеджерам (долг / просрочка):
debts-client = • { $client }: { $total }, просрочено { $overdue } (до { $days ->
        [one] { $days } дня
        [few] { $days } дней
       *[many] { $days } дней
    })
debts-credit = Кредитный лимит: использовано { $used } из { $limit }
debts-shipment = • реализация { $number } от { $date }: { $amount }, просрочка { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    }
orders-none = Заказов нет.
orders-title = Заказы ({ $total }):
orders-shipped = отгружен { $date }
orders-not-shipped = не отгружен
orders-filter-o = Открытые
orders-filter-s = Отгруженные
orders-filter-a = Все
order-ask-number = Какой заказ? /order <номер>
order-not-found = Заказа { $number } среди заказов ваших клиентов нет.
order-title = Заказ { $number } от { $date } — { $client }
order-status = Статус: { $status }. Сумма: { $amount }. Плановая отгрузка: { $ship }
order-lines = Строки:
order-line = { $n }. { $product } — { $quantity } по { $price } = { $amount }
order-line-no-price = { $n }. { $product } — количество { $quantity }, сумма { $amount }
order-shipments = Отгрузки:
order-shipment = • { $number } от { $date }: { $amount }, оплатить до { $due }, оплачено { $paid }
order-no-shipments = Ещё не отгружен.
prices-ask = Какой товар? /prices <часть названия или артикул>
prices-none = Под «{ $query }» товаров нет.
prices-title = Цены по «{ $query }»:
prices-next = с { $date }: { $price }{ $change }
import-how = Пришлите файл выгрузки (CSV или XLSX) с подписью /import <вид> или просто пришлите и выберите вид. Виды: clients, contracts, orders, order_lines, shipments, payments, prices, plans; банковскую выписку (1CClientBankExchange, .txt) бот узнает сам.
import-choose-kind = Что в этом файле?
import-kind-clients = Контрагенты
import-kind-contracts = Договоры
import-kind-orders = Заказы
import-kind-order_lines = Строки заказов
import-kind-shipments = Реализации
import-kind-payments = Поступления
import-kind-prices = Цены
import-kind-chosen = Загружаю: { $kind }.
import-admins-only = Загружать файлы может только администратор.
import-started = Загружаю «{ $kind }» из { $name }…
import-progress = Загрузка… прочитано строк: { $rows }.
import-summary = Загрузка «{ $kind }» завершена: прочитано { $read }, новых { $inserted }, изменено { $updated }, без изменений { $unchanged }, отклонено { $rejected }.
import-removed = Помечено удалёнными (нет в выгрузке): { $count }.
import-conflicts = У { $count } клиентов оставлен менеджер, назначенный в чате (в выгрузке другой); администраторы уведомлены.
import-rejected-file = Отклонённые строки ({ $count }) с причиной для каждой.
import-ownership-conflict = Выгрузка называет другого менеджера для { $count } клиентов, чей менеджер назначен в чате ({ $codes }). Они оставлены как есть; если выгрузка права, передайте их в чате.
import-error-format = Это не файл CSV или XLSX. Ничего не изменено.
import-error-encoding = Строка { $row } записана не в кодировке { $encoding }, как остальной файл, и прочитать её без искажений нельзя. Сохраните всю выгрузку в одной кодировке (UTF-8 или Windows-1251) и загрузите её снова. Ничего не изменено.
import-error-too-large = Файл слишком большой (более 20 МБ или распаковывается до неразумного размера). Ничего не изменено.
import-error-no-header = Не нашёл строку заголовков в этой выгрузке. Ничего не изменено.
import-error-missing-column = В выгрузке нет колонки { $column }. Ничего не изменено.
import-error-kind = Неизвестный вид загрузки { $kind }.
card-debt = Дебиторка: { $total }, просрочено { $overdue } (до { $days ->
        [one] { $days } дня
        [few] { $days } дней
       *[many] { $days } дней
    })
card-btn-orders = 📦 Заказы
card-btn-debts = 💰 Долги

## Calendar keyboard
month-1 = Январь
month-2 = Февраль
month-3 = Март
month-4 = Апрель
month-5 = Май
month-6 = Июнь
month-7 = Июль
month-8 = Август
month-9 = Сентябрь
month-10 = Октябрь
month-11 = Ноябрь
month-12 = Декабрь
weekday-0 = Пн
weekday-1 = Вт
weekday-2 = Ср
weekday-3 = Чт
weekday-4 = Пт
weekday-5 = Сб
weekday-6 = Вс
when-calendar = 📅 Выбрать дату
edit-field-title = Название
edit-field-amount = Сумма
edit-field-expected_close = Дата закрытия
edit-ask-title = Новое название:
edit-ask-amount = Новая сумма (например, 1 250 000):
edit-ask-expected_close = Новая ожидаемая дата закрытия (25.12, 25.12.2026, +30…):
history-order = 📦 заказ { $number }
history-shipment = 🚚 реализация { $number }
history-payment = 💳 оплата { $number }
order-status-history = Смены статуса по загрузкам:

## Напоминания
digest-title = Доброе утро! Ваши дела на { $date }:
digest-followups = Запланированные шаги:
digest-neglected = Ключевые клиенты ждут контакта:
digest-overdue = Новая просрочка:
digest-prices = Изменения цен — сообщите клиентам:
digest-overdue-line = { $client }: реализация { $number }, { $amount }, просрочка { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    }
digest-price-line = { $client }: { $product } → { $price } с { $date }{ $change }
digest-overdue-total = Всего просрочено: { $total } (1–30 дн.: { $b1 } · 31–60 дн.: { $b2 } · 61–90 дн.: { $b3 } · более 90 дн.: { $b4 })
followup-due = ⏰ { $when }: { $client } — { $text }
overdue-alert = ⚠️ { $client }: реализация { $number } от { $date } на { $amount } сегодня стала просроченной (срок { $due }).
price-title = 💲 Изменение цены: { $product } с { $date }. Сообщите клиентам:
price-soon-title = 💲 Напоминание: { $product } меняет цену { $date }. Ещё не сообщено:
price-client-line = • { $client }: { $old } → { $new }{ $change }
price-informed = ✓ Сообщил: { $client }
price-marked = Отмечено: клиент уведомлён.
reminder-open-card = Открыть карточку
reminder-snooze-1 = Отложить на день
reminder-snooze-3 = 3 дня
reminder-snooze-7 = Неделю
reminder-done = ✓ Сделано
reminder-snoozed = Отложено до { $date }.
reminder-finished = Готово: больше не напомню.
reminder-item-followup = Шаг по клиенту { $client }:
reminder-item-neglected = { $client } ждёт контакта:
reminder-item-overdue = Просрочка клиента { $client }:
reminder-item-price = Изменение цены для { $client }:

## Претензии
cmd-claim = Зарегистрировать претензию клиента
cmd-claims = Претензии: открытые, просроченные, закрытые
menu-claim = 📝 Претензия
menu-claims = 📋 Претензии
card-btn-claim = 📝 Претензия
claim-title = Претензия { $number } ({ $direction }) — { $client }
claim-direction-incoming = от клиента
claim-direction-outgoing = клиенту, об оплате
claim-status-line = Статус: { $status }
claim-status-new = новая
claim-status-in_progress = в работе
claim-status-resolved = решена
claim-status-rejected = отклонена
claim-status-sent = направлена
claim-status-answered = получен ответ
claim-category-line = Категория: { $category }
claim-category-quality = Качество
claim-category-quantity = Количество / недовложение
claim-category-delivery_date = Срок поставки
claim-category-damaged = Повреждение товара
claim-category-documents = Документы
claim-category-price = Цена
claim-category-other = Другое
claim-amount-line = Сумма требования: { $amount }
claim-internal-line = Внутренний срок: { $date }
claim-legal-line = Срок ответа по закону: { $date }
claim-action-take = ▶️ Взять в работу
claim-action-resolve = ✅ Решена
claim-action-reject = ⛔ Отклонить
claim-action-reopen = 🔁 Открыть снова
claim-action-answered = 📨 Клиент ответил
claim-action-question = ❓ Задать вопрос
claim-new-for-department = 📝 Новая претензия для вашего отдела:
claim-days-left = { $days ->
        [one] остался { $days } день
        [few] осталось { $days } дня
       *[many] осталось { $days } дней
    }
claim-days-late = просрочено на { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    }
claim-history = История:
claim-event-question = вопрос
claim-event-comment = комментарий
claims-none = Претензий нет ({ $state }).
claims-title = Претензии ({ $state }): { $count }
claims-filter-open = открытые
claims-filter-overdue = просроченные
claims-filter-closed = закрытые
claim-ask-client = Какой клиент? Напишите часть названия или ИНН:
claim-choose-client = Выберите клиента:
claim-ask-related = К какому заказу или реализации относится претензия? Нажмите кнопку, напишите номер заказа или «нет»:
claim-related-order = Заказ { $number }
claim-related-none = Нет
claim-ask-category = Вид претензии?
claim-ask-description = Опишите претензию (что не так, сколько, чего просит клиент):
claim-ask-amount = Сумма требования (или «Пропустить»):
claim-ask-files = Пришлите фото (можно альбомом), документы или голосовые, затем нажмите «Готово»:
claim-files-done = Готово
claim-files-expected = Пришлите фото, документ или голосовое или нажмите «Готово».
claim-file-added = Приложено: { $count }.
claim-album-added = Приложено { $album } фото из альбома, всего файлов: { $count }. Пришлите ещё или нажмите «Готово».
claim-album-files-added = Из альбома приложено файлов: { $album }, всего: { $count }. Пришлите ещё или нажмите «Готово».
claim-confirm = ✅ Зарегистрировать претензию
claim-confirm-title = Проверьте претензию и зарегистрируйте её:
claim-client-line = Клиент: { $client }
claim-order-line = Заказ: { $number } от { $date }
claim-shipment-line = Реализация: { $number } от { $date }
claim-no-order-line = Заказ: не указан
claim-no-amount-line = Сумма требования: не указана
claim-files-line = Вложений: { $count }
claim-description-line = Суть претензии: { $text }
claim-registered = Претензия { $number } зарегистрирована и передана в отдел. Внутренний срок { $internal }, срок ответа по закону { $legal }.
claim-registered-no-department = Претензия { $number } зарегистрирована. Отдела для этой категории пока нет: администратор назначит его в /claims settings. Срок ответа по закону { $legal }.
claim-not-yours = Вы не можете действовать по этой претензии.
claim-ask-question = Ваш вопрос или комментарий по претензии { $number }
claim-question-saved = Отправлено: претензия { $number }.
claim-question = ❓ { $actor } по претензии { $number }: { $text }
claim-status-changed = Претензия { $number }: { $status } ({ $actor }).
claim-ask-resolution = ✅ Как решена претензия { $number }? Ответьте на это сообщение: решение попадёт в историю претензии и к её менеджеру.
claim-ask-rejection = ⛔ Почему претензия { $number } отклонена? Ответьте на это сообщение: причина попадёт в историю претензии и к её менеджеру.
claim-resolution-line = Решение: { $text }
claim-rejection-line = Причина отказа: { $text }
claim-comment-line = Комментарий: { $text }
claim-decision-saved = Записано: претензия { $number } — { $status }.
claim-reminder-internal-soon = ⏳ Претензия { $number }: до внутреннего срока 2 рабочих дня.
claim-reminder-internal-today = ⏳ Претензия { $number }: внутренний срок сегодня.
claim-reminder-legal-soon = ⚖️ Претензия { $number }: до срока ответа по закону 5 дней.
claim-reminder-legal-passed = ⚖️ Претензия { $number }: срок ответа по закону истёк.
claim-error-transition = Так перевести претензию сейчас нельзя (возможно, её уже перевели).
claim-error-not-allowed = Вам нельзя так поступить с этой претензией.
departments-title = Отделы, работающие с претензиями:
departments-new = ➕ Новый отдел
departments-ask-name = Название отдела (например, «Качество»):
departments-exists = Отдел с таким названием уже есть.
departments-card = { $name } (id { $id }). Сотрудники: { $members }. Групповой чат: { $chat }. Отметьте категории, которые отдел обрабатывает; добавьте сотрудников ниже (пользователей с ролью «сотрудник отдела» в /users). Чтобы использовать групповой чат, добавьте в него бота и отправьте там /claims_chat { $id }.
departments-add-member = ➕ { $name }
departments-chat-usage = Отправьте /claims_chat <id отдела> (см. /claims settings).
departments-chat-bound = Претензии отдела «{ $name }» будут приходить в этот чат.
payment-claim-prepare = ⚖️ Подготовить претензию об оплате
payment-claim-nothing = Пока нет просрочки, достаточной для претензии об оплате.
payment-claim-recorded = Претензия об оплате { $number } записана как направленная; ответ ожидается до { $deadline }. Скопируйте текст выше или распечатайте этот файл.
digest-claims = Претензии, срок которых подходит или уже прошёл:
digest-claim-left = { $number } · { $client }: { $days ->
        [one] остался { $days } день
        [few] осталось { $days } дня
       *[many] осталось { $days } дней
    }
digest-claim-late = { $number } · { $client }: просрочено на { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    }
reminder-item-claim = Претензия клиента { $client }:
claim-related-shipment = Реализация { $number }
history-claim = 📝 претензия { $number }

## Планы
cmd-plan = План продаж: выполнение и прогноз
menu-plan = 🎯 План
plan-period = План на { $period }:
plan-line = • { $name }: { $actual } из { $plan } ({ $percent }), прогноз { $forecast }; нужно { $gap } в рабочий день, { $left ->
        [one] остался { $left } рабочий день
        [few] осталось { $left } рабочих дня
       *[many] осталось { $left } рабочих дней
    }
plan-none = Планов пока нет.
plan-set = ✏️ Задать план
plan-choose-manager = Чей план?
plan-choose-period = { $name }: на какой период?
plan-ask-amount = План на { $period }, в рублях:
plan-error-amount = План — положительная сумма, например 2 500 000. Ничего не изменено.
plan-saved = План на { $period }: { $amount }.

## --- imports: one at a time, and runs that did not finish (issue 14, item 5) ---
import-error-busy = Уже идёт другая загрузка ({ $kind }, { $file }). Отправьте файл ещё раз, когда она закончится.
import-abandoned = Загрузка { $file } ({ $kind }) не завершилась: она остановилась до применения, из этого файла ничего не загружено. Отправьте файл ещё раз.
