export * from './keywords'
export * from './templates'
