// Working-day calendar (national holidays with 调休 as data) and the legal-aid clocks built on it.
export * from './dates'
export * from './data'
export * from './calendar'
export * from './legal-aid'
export * from './input'
