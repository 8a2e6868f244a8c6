import { dataPolicyFrom, type DataPolicy } from '../../../src/domain'

/**
 * The data policy of this deployment (docs/DOMAIN.md, "Children's personal information"): the registry's consent
 * text and the scheduler's purge read the same env variables (RETENTION_YEARS, DELETION_WORKING_DAYS), set alike in
 * both functions' config.json.
 */
export function dataPolicy (): DataPolicy {
  return dataPolicyFrom(process.env)
}
