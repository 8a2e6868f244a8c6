/**
 * Rules a deployment can switch off, as settings of the functions (CloudBase console → 云函数 → 环境变量): each is on
 * unless its variable is '0'. They exist so a simulated season can show what a rule is worth (`npm run simulate --
 * --no-nudge`); a real county keeps them all on (docs/ARCHITECTURE.md, "Timers").
 *   NUDGE_ENABLED       the weekly nudge to parents of a child with no call that week
 *   ESCALATION_ENABLED  the timed ladder of an unacknowledged crisis and of an unacknowledged police report
 *   SMS_ENABLED         SMS for urgent notices that WeChat could not deliver
 */
export type RuleSwitch = 'NUDGE_ENABLED' | 'ESCALATION_ENABLED' | 'SMS_ENABLED'

export const ruleOn = (name: RuleSwitch): boolean => process.env[name] !== '0'
