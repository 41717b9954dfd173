# Руководителям: сводки по команде, /report, /team
cmd-report = Сводка по команде с графиком за период
cmd-team = Моя команда: показатели каждого менеджера
cmd-export = Excel за период: контакты, заказы, долги, претензии, план, ABC
menu-report = 📊 Отчёт
menu-team = 🧑‍💼 Команда
report-title-daily = 📊 Сводка по команде за { $date } · { $scope }
report-title-weekly = 📊 Недельная сводка по команде, { $period } · { $scope }
report-title = 📊 Сводка по команде, { $period } (на { $date }) · { $scope }
report-scope-company = вся компания
report-manager = 👤 { $name }
report-team = 👥 Итого по команде
report-channel = { $name } { $count }
report-contacts = Контакты: { $total }{ $channels } · ключевых клиентов охвачено: { $contacted } из { $due } по графику
report-missed = Пропущено шагов: { $missed } · просрочка { $overdue }, из них новая { $new }
report-claims = Претензии: открыто { $opened }, закрыто { $closed }, просрочено { $late } · сделок выиграно { $won } ({ $won_amount }), проиграно { $lost }
report-plan = План { $period }: { $percent } ({ $actual } из { $plan }), прогноз { $forecast }
report-no-plan = План { $period }: не задан
report-aging = Просрочка по срокам: 1–30 дн.: { $b1 } · 31–60 дн.: { $b2 } · 61–90 дн.: { $b3 } · более 90 дн.: { $b4 }
report-attention = ⚠️ Требует внимания (нажмите номер):
report-attention-overdue = { $n }. { $client }: просрочено { $amount } ({ $manager })
report-attention-neglected = { $n }. { $client }: контакт просрочен на { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    } ({ $manager })
report-attention-claim = { $n }. Претензия { $number }, { $client }: срок { $deadline }, { $days ->
        [one] остался { $days } день
        [few] осталось { $days } дня
       *[many] осталось { $days } дней
    } ({ $manager })
report-attention-claim-late = { $n }. Претензия { $number }, { $client }: срок { $deadline } прошёл { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    } назад ({ $manager })
report-attention-none = ✅ Ничего срочного.
report-churn = 📉 Ключевые клиенты под угрозой ухода:
report-churn-fall = • { $client }: выручка за последние 90 дней { $recent } против { $previous } до них ({ $percent }) ({ $manager })
report-churn-silence = • { $client }: нет заказов уже { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    }, обычно заказывает раз в { $usual ->
        [one] { $usual } день
        [few] { $usual } дня
       *[many] { $usual } дней
    } ({ $manager })
report-churn-more = … и ещё { $count }
report-empty = В вашей команде пока нет менеджеров.
report-choose-period = Сводка по команде за какой период?
report-period-w = Эта неделя
report-period-l = Прошлая неделя
report-period-m = Этот месяц
report-period-q = Этот квартал
report-not-yours = Отчёты доступны руководителям и администраторам.
chart-title = Команда, { $period }
chart-plan-title = План и факт, { $period }
chart-plan = План
chart-actual = Факт
chart-aging-title = Просроченная дебиторка по срокам на { $date }
chart-unit = тыс. ₽
chart-no-plans = Планы на период не заданы
team-title = 🧑‍💼 Ваша команда на этой неделе ({ $period }). Нажмите номер, чтобы открыть менеджера.
team-line = { $n }. { $name }: контакты { $contacts }, ключевые { $contacted }/{ $due }, пропущено { $missed }, просрочка { $overdue }, план { $plan }
team-back = ← Команда
report-team-row = 👥 Команда { $name }
report-no-team = 👥 Менеджеры без руководителя
report-no-team-short = Без руководителя
report-company-total = 🏢 Итого по компании
team-title-company = 🏢 Команды на этой неделе ({ $period }). Нажмите номер, чтобы открыть команду.
team-title-of = 👥 Команда { $name } на этой неделе ({ $period }). Нажмите номер, чтобы открыть менеджера.
