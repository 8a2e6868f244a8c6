/** Help numbers the product shows (docs/DOMAIN.md, "Help numbers"). */
export const HELP_NUMBERS = [
  { number: '110', name: '报警电话', purpose: '孩子有危险、被伤害、走失' },
  { number: '12355', name: '青少年服务台', purpose: '共青团心理和法律帮助' },
  { number: '12351', name: '职工服务热线', purpose: '工会心理服务、务工维权' },
  { number: '12348', name: '法律服务热线', purpose: '法律咨询、法律援助' },
  { number: '12338', name: '妇女维权热线', purpose: '妇联：家庭暴力、妇女儿童权益' }
] as const
