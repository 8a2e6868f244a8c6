import { useEffect, useRef, useState } from 'react'
import { useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { ROLE_LABELS, type Role } from '../../../../domain'
import { callCloud, type CloudError } from '../../../../services/cloud'
import { dateTimeWords } from '../../../../services/format'
import { Page } from '../../../../components/Page'
import { Button, Cell, CellGroup } from '../../../../components/nut'
import { EmptyState, ErrorState, LoadingState } from '../../../../components/States'

interface Entry { at: Date, actorName: string, roles: string[], action: string, what: string, childId?: string, childName?: string }
const PAGE_SIZE = 20

/** Every read and change of a child's file in my area: who, as what, did what, to which child, when. */
export default function AccessLogPage () {
  const { params } = useRouter()
  const [child, setChild] = useState<{ id: string, name?: string } | undefined>(params.childId ? { id: params.childId } : undefined)
  const [log, setLog] = useState<{ items: Entry[], page: number, hasMore: boolean } | undefined>()
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<CloudError | undefined>()
  const seq = useRef(0)

  async function load (page: number) {
    const mine = ++seq.current
    setLoading(true)
    setError(undefined)
    try {
      const res = await callCloud('registry', 'accessLog', { ...(child ? { childId: child.id } : {}), page, pageSize: PAGE_SIZE })
      if (mine !== seq.current) return
      setLog((prev) => ({ items: page === 1 || !prev ? res.items : [...prev.items, ...res.items], page: res.page, hasMore: res.hasMore }))
      if (child && !child.name) {
        const name = res.items.find((i) => i.childId === child.id)?.childName
        if (name) setChild({ id: child.id, name })
      }
    } catch (err) {
      if (mine === seq.current) setError(err as CloudError)
    } finally {
      if (mine === seq.current) setLoading(false)
    }
  }
  useEffect(() => { setLog(undefined); load(1) }, [child?.id]) // eslint-disable-line react-hooks/exhaustive-deps -- another child starts the log again

  return (
    <Page testId='access-log'>
      <View className='title'>访问记录</View>
      <View className='hint'>谁在什么时候看过或改过孩子的档案。这些记录不能修改或删除。</View>
      {child && (
        <View className='card row-between' data-testid='log-filter'>
          <Text>只看：{child.name ?? '这个孩子'}</Text>
          <Button size='small' onClick={() => setChild(undefined)}>看全部</Button>
        </View>
      )}
      {loading && !log && <LoadingState />}
      {error && <ErrorState error={error} onRetry={() => load(log ? log.page : 1)} />}
      {log && log.items.length === 0 && <EmptyState title='还没有访问记录' description={child ? '还没有人看过这个孩子的档案' : '有人查看或修改孩子档案后会记在这里'} />}
      {log && log.items.length > 0 && (
        <CellGroup>
          {log.items.map((e, i) => (
            <Cell key={i}
              title={<View className='tag-row'><Text className='row-name'>{e.actorName || '（未登记的用户）'}</Text><Text className='small'>{e.roles.map((r) => ROLE_LABELS[r as Role] ?? r).join('、')}</Text></View>}
              description={
                <View>
                  <View>{e.what}</View>
                  {e.childName && !child && (
                    <View className='log-child' onClick={() => e.childId && setChild({ id: e.childId, name: e.childName })}>
                      孩子：<Text className='link'>{e.childName}</Text>
                    </View>
                  )}
                  <View className='small'>{dateTimeWords(e.at)}</View>
                </View>
              } />
          ))}
        </CellGroup>
      )}
      {log && log.hasMore && (
        <View className='big-button'>
          <Button block size='large' loading={loading} disabled={loading} onClick={() => load(log.page + 1)}>加载更多</Button>
        </View>
      )}
    </Page>
  )
}
