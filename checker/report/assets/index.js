// store/index.html: filters by verdict, workload and system (each row carries
// them as data-*); a filter can be given in the address too:
// index.html#verdict=invalid&system=etcd. Values reach the page as text only.
(function () {
  'use strict';
  const rows = Array.from(document.querySelectorAll('#runs tbody tr'));
  const bar = document.getElementById('filters');
  const keys = ['verdict', 'workload', 'system'];
  const chosen = {};
  const selects = {};
  for (const k of keys) {
    const select = document.createElement('select');
    select.id = 'filter-' + k;
    const any = document.createElement('option');
    any.value = '';
    any.textContent = 'any ' + k;
    select.append(any);
    for (const v of Array.from(new Set(rows.map((r) => r.dataset[k] || ''))).sort()) {
      const o = document.createElement('option');
      o.value = v;
      o.textContent = v || '(none)';
      select.append(o);
    }
    select.addEventListener('change', () => { chosen[k] = select.value; apply(); });
    selects[k] = select;
    bar.append(select);
  }
  const count = document.createElement('span');
  count.className = 'sub';
  bar.append(count);
  function apply() {
    let shown = 0;
    for (const r of rows) {
      const keep = keys.every((k) => !chosen[k] || (r.dataset[k] || '') === chosen[k]);
      r.hidden = !keep;
      if (keep) shown++;
    }
    count.textContent = shown + ' of ' + rows.length + ' runs shown';
    document.body.dataset.shown = String(shown);
  }
  for (const part of location.hash.slice(1).split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const k = decodeURIComponent(part.slice(0, eq)), v = decodeURIComponent(part.slice(eq + 1));
    if (keys.includes(k)) { chosen[k] = v; selects[k].value = v; }
  }
  apply();
})();
