export * from './rules'
export * from './clocks'
export * from './voice'
