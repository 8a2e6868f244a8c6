// Working-day calendar (national holidays with 调休 as data) and the legal-aid clocks built on it. The published
// years and lunar dates come from library.ts, which only the functions import (see there why).
export * from './dates'
export * from './data'
export * from './calendar'
export * from './statutory'
export * from './legal-aid'
export * from './input'
