export * from './reports'
