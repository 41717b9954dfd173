## The live 1C sync (/sync), its settings and its messages to admins
cmd-sync = The 1C sync: state and Sync now
setting-erp_sync_minutes = 1C sync: every N minutes in working hours
setting-erp_sync_minutes-hint = A whole number of minutes from 1 to 1440, on business days within the sync hours (company time).
setting-erp_sync_idle_minutes = 1C sync: every N minutes otherwise
setting-erp_sync_idle_minutes-hint = A whole number of minutes from 1 to 1440: at night, at weekends and on holidays.
setting-erp_sync_hours = 1C sync: working hours
setting-erp_sync_hours-hint = Two times of the company's zone, for example 07:00-21:00.
setting-erp_sync_look_back_days = 1C sync: documents re-read, days back
setting-erp_sync_look_back_days-hint = A whole number of days from 1 to 366: 1C documents are changed and re-posted after the fact, so each sync reads this many days again.
setting-erp_sync_price_type = 1C sync: price type
setting-erp_sync_price_type-hint = The name of the price type (ВидЦены) as 1C shows it, for example Оптовая; - syncs no prices.
setting-error-hours-range = Write two times, for example 07:00-21:00. Nothing was changed; send another value or /cancel.
setting-error-price-type = Write the price type's name as 1C shows it (up to 100 characters), or - for none. Nothing was changed; send another value or /cancel.
sync-not-configured = The 1C sync is not set up: the deployment needs ONEC_ODATA_URL, ONEC_ODATA_USER and ONEC_ODATA_PASSWORD (see the README, "Connecting 1C"). Files can still be imported: send one.
sync-title = 🔄 1C sync ({ $address })
sync-unreachable = ⚠️ 1C is not answering: { $reason }. Its last answer: { $since }. The bot shows the data it has.
sync-never = No sync has run yet.
sync-entity-ok = • { $kind } ({ $entity }): ✅ { $when } · read { $read }, changed { $changed }{ $rejected ->
    [0] {""}
   *[other] , rejected { $rejected }
}
sync-entity-failed = • { $kind } ({ $entity }): ⚠️ { $when }: { $error } · last success { $success }
sync-next = Next sync: { $at }
sync-running = The sync is starting…
sync-now-button = 🔄 Sync now
sync-full-button = Full reload
sync-refresh-button = ↻ Refresh
sync-started = 🔄 Syncing with 1C…
sync-progress = 🔄 Syncing with 1C: { $kind }, { $rows } rows read…
sync-done = ✅ Sync finished: { $changed } changes.
sync-done-failed = ⚠️ Sync finished with errors: { $changed } changes.
sync-done-kind = • { $kind }: read { $read }, changed { $changed }{ $rejected ->
    [0] {""}
   *[other] , rejected { $rejected }
}
sync-done-kind-failed = • { $kind }: ⚠️ { $error }
sync-done-unreachable = ⚠️ 1C is not answering: { $reason }. Nothing was changed; the next sync will try again.
erp-sync-unreachable = ⚠️ 1C is not answering the sync: { $reason }. The bot keeps showing the data it has and tries again on schedule; you will hear when 1C answers again.
erp-sync-back = ✅ 1C is answering the sync again.
erp-sync-missing = ⚠️ The 1C sync cannot read { $kind }: { $missing }. Tick it in 1C under Administration → "Настройка стандартного интерфейса OData"; the other data syncs meanwhile.
debts-as-of = ERP data as of { $at }
import-kind-bank = Bank statement
bank-statement-read = Bank statement: { $documents } documents.
bank-known-from-erp = { $count } payments already known from 1C were not counted again.
erp-sync-price-type-unknown = ⚠️ The 1C sync cannot read prices: 1C has no price type named «{ $name }». Set its exact name in /settings → Company settings → "1C sync: price type".
erp-sync-price-type-ambiguous = ⚠️ The 1C sync cannot read prices: 1C has several price types named «{ $name }». Rename one in 1C or set another in /settings.
erp-sync-refused = ⚠️ 1C refused the sync's request for { $kind } ({ $entity }): { $error }. The other data syncs meanwhile; /sync shows the state.
