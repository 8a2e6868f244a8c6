// Pure domain shared by pages and functions: no Taro, no SDK, no I/O.
export * from './roles'
export * from './errors'
export * from './validation'
export * from './people'
export * from './time'
export * from './scopes'
export * from './contracts'
export * from './help'
