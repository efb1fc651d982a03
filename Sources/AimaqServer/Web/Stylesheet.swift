/// The one stylesheet, served by the binary itself (no asset build, no CDN).
enum Stylesheet {
    static let css = """
    :root { --ink: #1b1f24; --muted: #4f5863; --line: #d5dae0; --bg: #ffffff; --accent: #005b96;
            --accent-ink: #ffffff; --tile: #d9e8f5; --tile-hover: #9cc3e6; --warn: #8a1c1c; --demo: #fff4c2; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
    a { color: var(--accent); }
    a:focus, button:focus, input:focus, select:focus { outline: 3px solid #f2a900; outline-offset: 2px; }
    .skip { position: absolute; left: -9999px; }
    .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 10; }
    header.site { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; justify-content: space-between;
                  padding: .75rem 1.25rem; border-bottom: 1px solid var(--line); }
    header.site ul { list-style: none; display: flex; flex-wrap: wrap; gap: .9rem; margin: 0; padding: 0; align-items: center; }
    .brand { text-decoration: none; color: var(--ink); display: flex; flex-direction: column; }
    .brand strong { font-size: 1.4rem; color: var(--accent); }
    .brand span { font-size: .8rem; color: var(--muted); }
    .languages span[aria-current] { font-weight: 600; }
    .demo-banner { margin: 0; padding: .4rem 1.25rem; background: var(--demo); border-bottom: 1px solid #e0c96b; font-weight: 600; }
    .demo-banner p { margin: 0; }
    .breadcrumbs ol { list-style: none; display: flex; flex-wrap: wrap; gap: .4rem; padding: .5rem 1.25rem 0; margin: 0; font-size: .9rem; }
    .breadcrumbs li + li::before { content: "›"; margin-right: .4rem; color: var(--muted); }
    main { padding: 1rem 1.25rem 2rem; max-width: 72rem; }
    footer.site { border-top: 1px solid var(--line); padding: .75rem 1.25rem; color: var(--muted); font-size: .9rem; }
    .lead { font-size: 1.1rem; color: var(--muted); max-width: 48rem; }
    .meta, .note { color: var(--muted); }
    .tile-map { width: 100%; max-width: 56rem; height: auto; }
    .tile { fill: var(--tile); stroke: #fff; }
    .tile-map a:hover .tile, .tile-map a:focus .tile { fill: var(--tile-hover); }
    .tile-label { font-size: 12.5px; fill: var(--ink); color: var(--ink); font-weight: 600; }
    .tile-code { font-size: 11px; fill: var(--ink); color: var(--ink); }
    .region-list { columns: 16rem; padding-left: 1.2rem; }
    ul.figures { display: flex; flex-wrap: wrap; gap: 1rem; margin: 0; padding: 0; list-style: none; }
    ul.figures li { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .9rem; min-width: 10rem; }
    ul.figures .label { display: block; font-size: .85rem; color: var(--muted); }
    ul.figures .value { display: block; font-size: 1.3rem; font-weight: 600; }
    table.list { border-collapse: collapse; width: 100%; }
    table.list th, table.list td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
    table.list caption { text-align: left; color: var(--muted); padding: .3rem 0; }
    .num { text-align: right; font-variant-numeric: tabular-nums; }
    table.audit code { font-size: .8rem; word-break: break-all; }
    form.stack { display: grid; gap: .4rem; max-width: 26rem; }
    form.inline { display: inline; }
    input, select { font: inherit; padding: .4rem; border: 1px solid #8a939d; border-radius: 4px; }
    button { font: inherit; padding: .45rem 1rem; background: var(--accent); color: var(--accent-ink); border: 0; border-radius: 4px; cursor: pointer; }
    button.small { padding: .15rem .5rem; font-size: .85rem; }
    button.link { background: none; color: var(--accent); padding: 0; text-decoration: underline; }
    .error-message { color: var(--warn); border-left: 4px solid var(--warn); padding: .3rem .8rem; background: #fdf0f0; }
    .field-error { color: var(--warn); margin: 0; font-size: .9rem; }
    .pager { display: flex; gap: 1rem; margin-top: 1rem; }
    ul.bodies { padding-left: 1.2rem; }
    ul.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0 0 1rem; padding: 0; list-style: none; }
    ul.facts li { display: contents; }
    ul.facts .label { color: var(--muted); }
    .opinion-map { width: 100%; max-width: 40rem; height: auto; background: #fafbfc; border: 1px solid #d0d7de; }
    .opinion-map .axis { stroke: #d0d7de; stroke-width: 1; }
    .opinion-map .cluster { fill-opacity: .75; stroke: #fff; stroke-width: 1; }
    .opinion-map .group-label { font-size: 22px; font-weight: 700; fill: #111; paint-order: stroke; stroke: #fff; stroke-width: 4px; }
    .opinion-map .me { fill: none; stroke: #111; stroke-width: 3; }
    .opinion-map .me-label { font-size: 13px; font-weight: 700; fill: #111; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
    .g0 { fill: #1f5fa8; background: #1f5fa8; } .g1 { fill: #b3541e; background: #b3541e; } .g2 { fill: #2e7d32; background: #2e7d32; }
    .g3 { fill: #7b3fa0; background: #7b3fa0; } .g4 { fill: #8a6d00; background: #8a6d00; } .g5 { fill: #00796b; background: #00796b; }
    .swatch { display: inline-block; width: .9rem; height: .9rem; border-radius: 50%; vertical-align: middle; }
    .vote-card { border: 1px solid #d0d7de; border-radius: 6px; padding: .75rem 1rem; max-width: 40rem; }
    .vote-card blockquote { font-size: 1.15rem; margin: 0 0 .75rem; }
    .vote-card .buttons { display: flex; gap: .5rem; }
    .status { display: inline-block; padding: 0 .45rem; border-radius: 3px; font-size: .85rem; background: #e8ecf0; margin-right: .25rem; }
    .status-accepted { background: #d6f0dc; color: #14532d; }
    .status-returned { background: #fde8d8; color: #7c2d12; }
    .status-report_submitted { background: #e0e7ff; color: #1e3a8a; }
    .status-removed_from_control { background: #eeeeee; color: #555; }
    .status-overdue { background: var(--warn); color: #fff; }
    .tile-q0 { fill: #f3d9d9; background: #f3d9d9; } .tile-q1 { fill: #f5e6c8; background: #f5e6c8; }
    .tile-q2 { fill: #e9efc4; background: #e9efc4; } .tile-q3 { fill: #c8e6c9; background: #c8e6c9; }
    .tile-q4 { fill: #9ed6a5; background: #9ed6a5; } .tile-none { fill: #eef1f4; }
    .district-tiles ul { display: grid; grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr)); gap: .3rem; list-style: none; padding: 0; }
    .district-tiles li { border: 1px solid var(--line); border-radius: 4px; }
    .district-tiles a { display: block; padding: .4rem .5rem; color: #111; }
    .district-tiles .tile-name { display: block; font-weight: 600; } .district-tiles .tile-figure { font-size: .85rem; }
    .swatch { display: inline-block; width: 1rem; height: 1rem; vertical-align: middle; border: 1px solid var(--line); }
    .bar-chart, .month-chart { width: 100%; max-width: 46rem; height: auto; font-size: 12px; }
    .bar-chart .bar { fill: #4a7fb5; } .month-chart .plan, .swatch.plan { fill: #c9d6e3; background: #c9d6e3; }
    .month-chart .done, .swatch.done { fill: #2f6b3a; background: #2f6b3a; }
    .demo-note { border-left: 4px solid #c77d00; padding: .3rem .6rem; background: #fff6e5; }
    .diff del { background: #fde2e2; color: #7f1d1d; text-decoration: line-through; }
    .diff ins { background: #dcfce7; color: #14532d; text-decoration: underline; }
    table.diff td { vertical-align: top; width: 50%; } .article { margin: 1.2rem 0; }
    .article h3 { margin-bottom: .3rem; } .changed-mark { font-size: .85rem; color: #7c2d12; }
    ul.comments, ul.replies { list-style: none; padding-left: 0; } ul.replies { margin-left: 1.5rem; }
    .comment { border-top: 1px solid var(--line); padding: .5rem 0; } .comment .meta { color: var(--muted); margin: 0; }
    .hidden-comment { font-style: italic; color: var(--muted); }
    .columns { display: flex; flex-wrap: wrap; gap: 2rem; } tr.spending td { color: #5a3d00; }
    form.filters { display: flex; flex-wrap: wrap; gap: .6rem 1rem; align-items: flex-end; margin-bottom: .5rem; }
    form.filters label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); }
    form.filters label.check { flex-direction: row; gap: .3rem; align-items: center; }
    article.report { border-left: 3px solid var(--line); padding-left: .8rem; margin: 1rem 0; }
    .review-return { color: #7c2d12; } .review-accept { color: #14532d; }
    button.secondary { background: #5b6570; }
    .buttons { display: flex; gap: .5rem; }
    textarea { font: inherit; padding: .4rem; border: 1px solid #8a939d; border-radius: 4px; }
    meter { width: 10rem; }
    .success { color: #14532d; border-left: 4px solid #14532d; padding: .3rem .8rem; background: #eef8f0; }
    @media (max-width: 40rem) {
      header.site { flex-direction: column; align-items: flex-start; }
      /* On a phone a wide table scrolls inside itself; the page keeps the screen's width. */
      table.list { font-size: .9rem; display: block; max-width: 100%; overflow-x: auto; }
      form.filters label, form.filters select, form.filters input, form.stack select, form.stack input { max-width: 100%; min-width: 0; }
      form.filters label { flex: 1 1 100%; }
      select { width: 100%; }
    }
    .day-chart { width: 100%; max-width: 40rem; height: auto; } .day-chart .bar { fill: var(--accent); }
    @media print { header.site nav, .skip, footer.site, .no-print, nav.breadcrumbs, .languages { display: none; } a { color: var(--ink); text-decoration: none; } }
    """
}
