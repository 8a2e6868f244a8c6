export * from './reports'
export * from './origin'
