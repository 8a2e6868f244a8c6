// The local stand-in for WeChat cloud (CloudBase): one process, one port, the real wx-server-sdk talks to it
// (docs/LOCALCLOUD.md). Parts: db/ (document store on SQLite), functions/ (function host), timers and the clock,
// storage, the openapi outbox, and the gateway (HTTP: /admin for the SDK, /api/* for the h5 build, / for its files).
export { startLocalCloud, InvocationError } from './cloud'
export type { LocalCloud, LocalCloudOptions } from './cloud'
export type { Persona, Personas } from './sessions'
export type { OutboxMessage } from './openapi'
export type { Allow, KeywordType, SubscriptionTemplate } from './subscriptions'
export { checkKeywordValue, checkTemplateData } from './subscriptions'
export type { SmsOptions, SmsTemplate } from './sms'
export type { CloudClock, AdvanceResult } from './timers'
export type { ClockReading } from './clock'
export type { ActionSummary, InvocationRecord } from './functions/stats'
