/**
 * Subscription messages (docs/ARCHITECTURE.md, "Notifications"). The templates — their keywords, types and whether
 * they are long-term — are declared once in src/domain/notices; here are their ids, which are configuration (each
 * function's environment: TPL_CALL_REMINDER and so on; the defaults name them for the local cloud), and the send.
 */
import { TEMPLATE_KEYS, defaultTemplateId, templateData, type NoticeContent, type TemplateKey } from '../../src/domain'
import { cloud } from './cloud'

export type { TemplateKey }

/** Template ids by key: the variable named like the default id (TPL_CRISIS_ALERT), or that default. */
export const TEMPLATES = Object.fromEntries(TEMPLATE_KEYS.map((k) => [k, process.env[defaultTemplateId(k)] || defaultTemplateId(k)])) as Record<TemplateKey, string>

export interface Message { touser: string, template: TemplateKey, page: string, notice: NoticeContent, now: Date }

/**
 * Sends one subscription message, its data built by the one checked builder (templateData). A person with no allow
 * left (43101) or any other refusal must not stop a timer's other work: the failure is returned, not thrown.
 */
export async function send (m: Message): Promise<{ ok: boolean, errCode?: number }> {
  try {
    await cloud.openapi.subscribeMessage.send({
      touser: m.touser,
      templateId: TEMPLATES[m.template],
      page: m.page,
      miniprogramState: process.env.MINIPROGRAM_STATE || 'formal',
      lang: 'zh_CN',
      data: templateData(m.template, m.notice, m.now)
    } as any)
    return { ok: true }
  } catch (err: any) {
    if (err?.errCode !== 43101) console.warn('[chuyan] subscribeMessage.send failed', m.template, err?.errCode ?? err?.message)
    return { ok: false, errCode: err?.errCode }
  }
}
