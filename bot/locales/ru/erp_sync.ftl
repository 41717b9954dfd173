## Синхронизация с 1С (/sync), её настройки и сообщения администраторам
cmd-sync = Синхронизация с 1С: состояние и запуск
setting-erp_sync_minutes = Синхронизация с 1С: каждые N минут в рабочие часы
setting-erp_sync_minutes-hint = Целое число минут от 1 до 1440, в рабочие дни в часы синхронизации (время компании).
setting-erp_sync_idle_minutes = Синхронизация с 1С: каждые N минут в остальное время
setting-erp_sync_idle_minutes-hint = Целое число минут от 1 до 1440: ночью, в выходные и праздники.
setting-erp_sync_hours = Синхронизация с 1С: рабочие часы
setting-erp_sync_hours-hint = Два времени по часовому поясу компании, например 07:00-21:00.
setting-erp_sync_look_back_days = Синхронизация с 1С: документы перечитываются за N дней
setting-erp_sync_look_back_days-hint = Целое число дней от 1 до 366: документы в 1С меняют и перепроводят задним числом, поэтому каждая синхронизация перечитывает столько дней.
setting-erp_sync_price_type = Синхронизация с 1С: вид цены
setting-erp_sync_price_type-hint = Название вида цены, как в 1С, например Оптовая; - — цены не синхронизировать.
setting-error-hours-range = Укажите два времени, например 07:00-21:00. Ничего не изменено; пришлите другое значение или /cancel.
setting-error-price-type = Укажите название вида цены, как в 1С (до 100 символов), или - , если цены не нужны. Ничего не изменено; пришлите другое значение или /cancel.
sync-not-configured = Синхронизация с 1С не настроена: в настройках развёртывания нужны ONEC_ODATA_URL, ONEC_ODATA_USER и ONEC_ODATA_PASSWORD (см. README, «Подключение 1С»). Файлы по-прежнему можно загрузить: пришлите файл.
sync-title = 🔄 Синхронизация с 1С ({ $address })
sync-unreachable = ⚠️ 1С не отвечает: { $reason }. Последний ответ: { $since }. Бот показывает данные, которые у него есть.
sync-never = Синхронизация ещё не запускалась.
sync-entity-ok = • { $kind } ({ $entity }): ✅ { $when } · прочитано { $read }, изменено { $changed }{ $rejected ->
    [0] {""}
   *[other] , отклонено { $rejected }
}
sync-entity-failed = • { $kind } ({ $entity }): ⚠️ { $when }: { $error } · последний успех { $success }
sync-next = Следующая синхронизация: { $at }
sync-running = Синхронизация запускается…
sync-now-button = 🔄 Синхронизировать
sync-full-button = Полная загрузка
sync-refresh-button = ↻ Обновить
sync-started = 🔄 Синхронизация с 1С…
sync-progress = 🔄 Синхронизация с 1С: { $kind }, прочитано строк: { $rows }…
sync-done = ✅ Синхронизация завершена, изменений: { $changed }.
sync-done-failed = ⚠️ Синхронизация завершена с ошибками, изменений: { $changed }.
sync-done-kind = • { $kind }: прочитано { $read }, изменено { $changed }{ $rejected ->
    [0] {""}
   *[other] , отклонено { $rejected }
}
sync-done-kind-failed = • { $kind }: ⚠️ { $error }
sync-done-unreachable = ⚠️ 1С не отвечает: { $reason }. Ничего не изменено; следующая синхронизация попробует снова.
erp-sync-unreachable = ⚠️ 1С не отвечает синхронизации: { $reason }. Бот показывает данные, которые у него есть, и пробует снова по расписанию; когда 1С ответит, я сообщу.
erp-sync-back = ✅ 1С снова отвечает синхронизации.
erp-sync-missing = ⚠️ Синхронизация не может прочитать «{ $kind }»: { $missing }. Отметьте это в 1С: Администрирование → «Настройка стандартного интерфейса OData»; остальные данные синхронизируются.
debts-as-of = Данные 1С на { $at }
import-kind-bank = Банковская выписка
bank-statement-read = Банковская выписка: документов { $documents }.
bank-known-from-erp = Платежей, уже известных из 1С и не учтённых повторно: { $count }.
