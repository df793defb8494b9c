import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { TypeIcon } from '../components/TypeIcon.js';
import { formatCost, formatDuration } from '../format.js';
import { hasChildren, visibleRows, type TreeModel } from './tree-model.js';

const ROW_HEIGHT = 28;
const AXIS_HEIGHT = 22;

interface Props {
  model: TreeModel;
  mode: 'tree' | 'timeline';
  collapsed: ReadonlySet<number>;
  onToggle(index: number): void;
  /** -1: the trace itself. */
  selected: number;
  onSelect(index: number): void;
}

/**
 * The observation tree or the timeline (waterfall) of one trace. Only the rows on screen are
 * in the DOM, so 100,000 observations scroll like 100. Keyboard: ↑/↓ select, ←/→ collapse and
 * expand (or go to the parent / first child), Home/End.
 */
export function ObservationList({ model, mode, collapsed, onToggle, selected, onSelect }: Props) {
  const { tree } = model;
  const rows = useMemo(() => visibleRows(model, collapsed), [model, collapsed]);
  const position = useMemo(() => {
    const pos = new Int32Array(model.n).fill(-1);
    rows.forEach((v, i) => (pos[v] = i));
    return pos;
  }, [rows, model.n]);
  const scrollRef = useRef<HTMLDivElement>(null);
  // The timeline's sticky axis sits above the rows: the virtualizer is told, so scrolling to a row clears it.
  const scrollMargin = mode === 'timeline' ? AXIS_HEIGHT : 0;
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 15, scrollMargin });

  const selectedRow = selected >= 0 ? position[selected] : -1;
  useEffect(() => {
    if (selectedRow >= 0) virtualizer.scrollToIndex(selectedRow, { align: 'auto' });
  }, [selectedRow, virtualizer]);

  function onKey(e: KeyboardEvent<HTMLDivElement>) {
    const at = selectedRow;
    const go = (row: number) => onSelect(rows[Math.max(0, Math.min(rows.length - 1, row))]);
    switch (e.key) {
      case 'ArrowDown':
        go(at + 1);
        break;
      case 'ArrowUp':
        go(at - 1);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(rows.length - 1);
        break;
      case 'ArrowRight':
        if (at < 0) go(0);
        else if (collapsed.has(selected)) onToggle(selected);
        else if (hasChildren(model, selected)) go(at + 1);
        break;
      case 'ArrowLeft':
        if (at < 0) break;
        if (hasChildren(model, selected) && !collapsed.has(selected)) onToggle(selected);
        else if (tree.parent[selected] >= 0) onSelect(tree.parent[selected]);
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  return (
    <div
      ref={scrollRef}
      className={`obs-list mode-${mode}`}
      role="tree"
      aria-label={mode === 'tree' ? 'Observation tree' : 'Timeline'}
      tabIndex={0}
      aria-activedescendant={selectedRow >= 0 ? `obs-row-${selected}` : undefined}
      onKeyDown={onKey}
    >
      {mode === 'timeline' && <TimeAxis span={model.span} />}
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const i = rows[item.index];
          const start = tree.start[i];
          const end = tree.end[i];
          const duration = end >= 0 ? end - start : null;
          const expandable = hasChildren(model, i);
          const level = tree.levels[tree.level[i]];
          const name = tree.name[i] >= 0 ? tree.names[tree.name[i]] : '(unnamed)';
          const depth = Math.min(model.depth[i], 60);
          return (
            <div
              key={i}
              id={`obs-row-${i}`}
              role="treeitem"
              aria-level={model.depth[i] + 1}
              aria-selected={i === selected}
              aria-expanded={expandable ? !collapsed.has(i) : undefined}
              data-observation-id={tree.id[i]}
              className={`obs-row level-${level.toLowerCase()}${i === selected ? ' selected' : ''}`}
              style={{ transform: `translateY(${item.start - scrollMargin}px)`, height: ROW_HEIGHT }}
              onClick={() => onSelect(i)}
            >
              <div className="obs-label" style={{ paddingLeft: depth * 14 + 4 }}>
                <button
                  type="button"
                  tabIndex={-1}
                  className={`twisty${expandable ? '' : ' leaf'}`}
                  aria-label={expandable ? (collapsed.has(i) ? 'Expand' : 'Collapse') : undefined}
                  onClick={(e) => {
                    e.stopPropagation();
                    if (expandable) onToggle(i);
                  }}
                >
                  {expandable ? (collapsed.has(i) ? '▸' : '▾') : ''}
                </button>
                <TypeIcon type={tree.types[tree.type[i]]} />
                <span className="obs-name">{name}</span>
              </div>
              {mode === 'tree' ? (
                <div className="obs-meta">
                  {tree.model[i] >= 0 && <span className="muted">{tree.models[tree.model[i]]}</span>}
                  <span className="num">{formatDuration(duration)}</span>
                  <span className="num">{tree.cost[i] ? formatCost(tree.cost[i]) : ''}</span>
                </div>
              ) : (
                <div className="obs-bar-track">
                  <div
                    className={`obs-bar${duration === null ? ' point' : ''}`}
                    style={{ left: `${(start / model.span) * 100}%`, width: duration === null ? undefined : `${Math.max(0.15, (duration / model.span) * 100)}%` }}
                    title={`${formatDuration(duration)} from +${formatDuration(start)}`}
                  />
                  <span className="obs-bar-label num" style={{ left: `${Math.min(85, ((end >= 0 ? end : start) / model.span) * 100)}%` }}>
                    {formatDuration(duration)}
                  </span>
                </div>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** Tick labels over the waterfall: 0, ¼, ½, ¾ and the whole trace duration. */
function TimeAxis({ span }: { span: number }) {
  return (
    <div className="time-axis" aria-hidden="true">
      <div className="obs-label" />
      <div className="obs-bar-track">
        {[0, 0.25, 0.5, 0.75, 1].map((f) => (
          <span key={f} className="tick" style={{ left: `${f * 100}%` }}>
            {formatDuration(span * f)}
          </span>
        ))}
      </div>
    </div>
  );
}
