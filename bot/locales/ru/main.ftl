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
help-footer = /cancel — выйти из любого диалога.
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
settings-choose-digest = В котором часу по местному времени присылать утреннюю сводку?
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
    Действует один раз, истекает через { $days } дн. Отправьте его человеку лично.
invite-error-role = Пригласить можно только менеджера или руководителя.
invite-error-no-supervisor = Выберите действующего руководителя для менеджера.

## Пользователи
users-list = Пользователей: { $total } (страница { $page }). Нажмите на пользователя, чтобы изменить роль или команду.
users-card =
    { $name } ({ $username })
    Роль: { $role }
    Команда руководителя: { $team }
    Имя в учётной системе: { $erp }
    Статус: { $status }
    Язык: { $language }, часовой пояс: { $timezone }
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
