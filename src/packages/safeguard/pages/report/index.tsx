import { useRouter } from '@tarojs/taro'
import { routeParam } from '../../../../services/nav'
import { ReportForm } from '../../components/ReportForm'
import { ReportCase } from '../../components/ReportCase'

/**
 * 强制报告: without `id`, anyone in close contact with a child files a report in a minute and gets a receipt;
 * with `?id=`, the report as the police liaison, civil affairs or education of the county handle it.
 */
export default function Report () {
  const { params } = useRouter()
  const id = routeParam(params.id) ?? ''
  return id ? <ReportCase id={id} /> : <ReportForm />
}
