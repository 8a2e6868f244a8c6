export * from './figures'
