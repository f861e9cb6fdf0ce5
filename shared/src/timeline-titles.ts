import type { TimelineKind } from './api';
import type { LocalizedText } from './i18n';

/**
 * What each timeline event is, in both languages: the console's timeline and the vendor hand-off
 * pack (printed by the server) show these; an event's text carries only what varies.
 */
export const TIMELINE_KIND_TITLES: Record<TimelineKind, LocalizedText> = {
  opened: { ru: 'Заявка открыта', en: 'Ticket opened' },
  finding_changed: { ru: 'Диагноз изменился', en: 'Finding changed' },
  cashier_report: { ru: 'Сообщение кассира', en: 'Cashier report' },
  recovered: { ru: 'Неисправность устранена', en: 'Fault cleared' },
  auto_resolved: { ru: 'Решена автоматически: в работу не брали', en: 'Resolved by itself: nobody had taken it' },
  taken: { ru: 'Взята в работу', en: 'Taken' },
  note: { ru: 'Комментарий', en: 'Note' },
  resolved: { ru: 'Решена', en: 'Resolved' },
  reopened: { ru: 'Открыта снова', en: 'Reopened' },
  command: { ru: 'Удалённое действие', en: 'Remote action' },
  cashier_confirmed: { ru: 'Кассир подтвердил: работает', en: 'Cashier confirmed: working' },
  cashier_not_fixed: { ru: 'Кассир: не работает, заявка открыта снова', en: 'Cashier: still not working, ticket reopened' },
  deadline_changed: { ru: 'Срок и приоритет пересчитаны по дате блокировки продаж', en: 'Deadline and priority moved with the sales-blocking date' },
  test_print_requested: { ru: 'Запрошена тестовая печать', en: 'Test print requested' },
  test_print: { ru: 'Тестовая печать', en: 'Test print' },
  bundle_requested: { ru: 'Запрошен пакет диагностики', en: 'Diagnostics bundle requested' },
  bundle: { ru: 'Пакет диагностики', en: 'Diagnostics bundle' },
  drift_changed: { ru: 'Изменились отличия от эталона', en: 'Differences from the reference changed' },
  assigned: { ru: 'Назначена', en: 'Assigned' },
  reassigned: { ru: 'Передана в другую группу', en: 'Reassigned to another group' },
  escalated: { ru: 'Эскалирована', en: 'Escalated' },
  waiting: { ru: 'Ожидание: SLA на паузе', en: 'Waiting: SLA paused' },
  resumed: { ru: 'Работа возобновлена: SLA идёт', en: 'Resumed: SLA running' },
  vendor_updated: { ru: 'Обновлены данные поставщика', en: 'Vendor details updated' },
  flapping: { ru: 'Неисправность мигает', en: 'The fault is flapping' },
  symptom_attached: { ru: 'Добавлен симптом', en: 'Symptom attached' },
  attached_to_incident: { ru: 'Присоединена к инциденту магазина', en: 'Attached to a store incident' },
  resolved_with_incident: { ru: 'Решена вместе с инцидентом магазина', en: 'Resolved with the store incident' },
  sla_warning: { ru: 'SLA скоро истекает', en: 'SLA about to breach' },
  sla_breached: { ru: 'SLA нарушен', en: 'SLA breached' },
  cashier_auto_closed: { ru: 'Закрыта: кассир не ответил, работает ли', en: 'Closed: the cashier did not answer whether it works' },
  kb_fix_recorded: { ru: 'Записано решение', en: 'Fix recorded' },
  action_queued: { ru: 'Действие поставлено в очередь', en: 'Action queued' },
  action_sent: { ru: 'Действие отправлено на кассу', en: 'Action sent to the register' },
  action_running: { ru: 'Действие выполняется', en: 'Action running' },
  action_done: { ru: 'Действие выполнено', en: 'Action done' },
  action_failed: { ru: 'Действие не выполнено', en: 'Action failed' },
  action_expired: { ru: 'Срок действия истёк: не выполнялось', en: 'Action expired: never ran' },
  action_cancelled: { ru: 'Действие отменено', en: 'Action cancelled' },
};
