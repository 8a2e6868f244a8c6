// Scheduling engine: open hours, slots with capacity seats, choice validation, preferred hours, weeks, standing calls.
export * from './settings'
export * from './slots'
export * from './weeks'
