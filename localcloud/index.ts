// The local stand-in for WeChat cloud (CloudBase): one process, one port, the real wx-server-sdk talks to it.
// Parts: db/ (document store on SQLite), functions/ (function host + timer triggers), storage, openapi outbox,
// and gateway.ts (HTTP: /admin for the SDK, /api/* for the h5 build, / for the h5 files).
export { startLocalCloud, InvocationError } from './gateway'
export type { LocalCloud, LocalCloudOptions } from './gateway'
export type { OutboxMessage } from './openapi'
