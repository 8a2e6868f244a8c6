export * from './triage'
export * from './routing'
export * from './callback'
export * from './hours'
