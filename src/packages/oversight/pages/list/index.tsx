import { useState } from 'react'
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { OVERSIGHT_LISTS, type OversightList } from '../../../../domain'
import { arrangeList } from '../../../../domain/oversight/arrange'
import { callCloud } from '../../../../services/cloud'
import { saveTextFile } from '../../../../services/files'
import { go } from '../../../../services/nav'
import { Page } from '../../../../components/Page'
import { useCloud } from '../../../../hooks/useCloud'
import { Button } from '../../../../components/nut'
import { EmptyState, ErrorState, LoadingState, ProblemBox, messageOf } from '../../../../components/States'
import '../../oversight.scss'

/**
 * The list behind a figure (within the viewer's agency's rights): grouped by school and class, names in pinyin order,
 * each row a name and one line of the rest, tappable where it can be followed up; 「导出表格」 hands the same list
 * over as a file.
 */
export default function List () {
  const { params } = useRouter()
  const key = (OVERSIGHT_LISTS as readonly string[]).includes(params.key ?? '') ? params.key as OversightList : undefined
  const list = useCloud(async () => {
    if (!key) throw new Error('no list')
    return await callCloud('oversight', 'list', { key })
  }, [key])
  usePullDownRefresh(() => { list.reload(); Taro.stopPullDownRefresh() })
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<string>()

  async function exportCsv () {
    if (!key) return
    setBusy(true)
    setFailure(undefined)
    try {
      const file = await callCloud('oversight', 'exportList', { key })
      await saveTextFile(file.filename, file.csv)
      Taro.showToast({ title: `已导出 ${file.rows} 行`, icon: 'success' })
    } catch (err) {
      setFailure(messageOf(err))
    } finally {
      setBusy(false)
    }
  }

  if (!key) return <Page className='ov-root'><EmptyState title='没有这个名单' description='请回到督导页，点名单再进来。' /></Page>
  const data = list.data
  return (
    <Page testId='oversight-list' className='ov-root'>
      {list.loading && !data && <LoadingState />}
      {list.error && !data && <ErrorState error={list.error} onRetry={list.reload} />}
      {data && (
        <View>
          <View className='title' data-testid='list-title'>{data.label}</View>
          <View className='ov-between'>
            <View className='hint' data-testid='list-count'>共 {data.rows.length} 条</View>
            <Button size='small' type='primary' fill='outline' loading={busy} disabled={busy} data-testid='export' onClick={exportCsv}>导出表格</Button>
          </View>
          <ProblemBox message={failure} />
          {data.rows.length === 0 && <EmptyState title='名单是空的' description='没有需要跟进的，很好。' />}
          {arrangeList(data.columns, data.rows).map((g) => (
            <View key={g.title} data-testid='list-group'>
              {g.title && <View className='section-title' data-testid='list-group-title'>{g.title}</View>}
              <View className='ov-card ov-card--flush'>
                {g.rows.map((r) => {
                  // A row the viewer may follow up (the child's file, the report) opens it with one tap.
                  const open = data.opens[r.index]
                  return (
                    <View key={r.index} className={open ? 'ov-li ov-card--tap' : 'ov-li'} data-testid='list-row'
                      onClick={open ? () => go(open) : undefined}>
                      <View className='ov-between'>
                        <Text className='ov-li__name' data-testid='row-name'>{r.name}</Text>
                        {open && <Text className='ov-open' data-testid='row-open'>查看 ›</Text>}
                      </View>
                      {r.line && <View className='ov-li__line'>{r.line}</View>}
                    </View>
                  )
                })}
              </View>
            </View>
          ))}
        </View>
      )}
    </Page>
  )
}
