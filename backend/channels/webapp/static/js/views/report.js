// Report a problem (being written).
import { t } from '../i18n.js';

export const title = 'nav.report';

export async function render(root) {
  const h = document.createElement('h1');
  h.textContent = t('nav.report');
  root.append(h);
}
