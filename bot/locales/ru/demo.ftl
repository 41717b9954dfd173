# python -m bot demo: what the terminal chat prints itself (the bot's own texts are elsewhere)
demo-welcome =
    KAM Assistant — демо: настоящий бот над выдуманной компанией «ТехноПак» (упаковка, опт).
    Пишите боту как в Telegram: /help, /today, /clients, /debts черноземье, /log, /claims, /plan.
    Демо-команды начинаются с двоеточия: :as, :users, :job digest, :help, :quit.
demo-prompt = { $name } ›
demo-bye = До встречи! Демо-база сохранена: следующий запуск продолжит с того же места.
demo-you-are = Теперь вы — { $name }: { $who }.
demo-while-away = Пока вы были другим человеком, пришло сообщений: { $count }.
demo-stranger = незнакомец: бот пустит его только по приглашению (/start <код>)
demo-stranger-name = Гость
demo-team-of = команда: { $name }
demo-team = менеджеры: { $names }
demo-users-title = Люди демо-компании (:as <номер>, имя или роль):
demo-help =
    Демо-команды (всё остальное уходит боту как сообщение):
      :as <имя или роль> — стать другим человеком: :as Петров, :as manager 2, :as руководитель, :as admin, :as отдел, :as 4 (номер из :users), :as new (незнакомец — для ссылки-приглашения)
      :users — кто работает в демо-компании
      :job <задача> [время] — запустить задачу по расписанию как будто сейчас это время: { $jobs }
          время: 09:05, завтра 09:05, 2026-12-07T09:05 (в поясе текущего человека); без времени — сейчас, а сводка digest — в ваш час сводки ближайшего рабочего дня
      :lang ru|en — язык текущего человека
      :send <файл> [подпись] — отправить боту файл, например выгрузку 1С с подписью /import shipments
      :help — эта справка, :quit — выход (или Ctrl-D)
    Кнопки последнего сообщения с кнопками пронумерованы: напишите номер, чтобы нажать. Число больше, чем кнопок, уходит текстом; \12 — всегда текст (например, час или сумма).
    Пункты меню можно писать словами, без значков: клиенты, долги, сегодня.
    Документы и графики сохраняются в папку, бот печатает путь.
    Сообщения другим людям видны строкой «→ имя: …», целиком — когда станете этим человеком (:as).
demo-unknown-command = Нет такой демо-команды: :{ $command }. Список — :help.
demo-no-such-person = Никого не нашлось по «{ $query }». Список — :users.
demo-several-people = Подходят несколько: { $names }. Уточните.
demo-lang-usage = Язык: :lang ru или :lang en.
demo-lang-set = Язык: { $language }.
demo-job-usage = Какую задачу запустить? :job <задача> [время]; задачи: { $jobs }.
demo-job-unknown = Нет задачи «{ $name }». Задачи: { $jobs }.
demo-job-bad-time = Не понял время «{ $text }». Примеры: 09:05, завтра 09:05, 2026-12-07T09:05.
demo-job-ran = ⚙ Задача { $name } на { $moment } ({ $zone }): { $result }
demo-held = ⏳ → { $name }: «{ $text }» — придёт { $at } (тихие часы)
demo-send-usage = Отправить файл: :send <путь к файлу> [подпись], например :send выгрузка.csv /import shipments
demo-button-url = Это ссылка, а не кнопка: { $text } → { $url }
demo-alert = ⚠️ { $text }
demo-notice = 💬 { $text }
demo-to-other = → { $name }: { $text }
demo-file-document = 📎 документ: { $path }
demo-file-photo = 🖼 изображение: { $path }
demo-file-voice = 🎤 голосовое: { $path }
demo-reply-expected = ↩ бот ждёт ответа на это сообщение: следующий текст уйдёт ответом
demo-menu = Меню (напишите пункт): { $items }
demo-not-a-demo = { $path } — не демо-база (в ней нет отметки демо-компании): демо её не тронет. Укажите другой файл: --database <путь>.
demo-reused = Демо-компания из { $path } (сид { $seed }, на { $date }); --reset создаст её заново.
demo-stale = Она создана на { $date }: «на сегодня» в ней — тот день. --reset пересоздаст её на сегодня.
demo-other-language = Люди демо-компании говорят на языке { $made }, как она создана; --reset --language { $wanted } пересоздаст её на языке { $wanted } (или :lang { $wanted } для одного человека).
demo-generated = Создана демо-компания в { $path } за { $seconds } с: людей { $people }, клиентов { $clients }, заказов { $orders }, контактов { $contacts }, претензий { $claims }.
demo-telegram-title = Откройте ссылку в Telegram, чтобы стать этим человеком демо-компании (с той же ссылкой — один раз; другая ссылка сменит вас на другого):
demo-telegram-link = { $role } — { $name }: { $link }
demo-telegram-running = Бот работает над демо-компанией. Остановить — Ctrl-C.
