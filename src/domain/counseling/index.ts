export * from './triage'
export * from './routing'
