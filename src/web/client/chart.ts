import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface DailyPoint {
  /** YYYY-MM-DD, UTC. */
  day: string;
  count: number;
}

const HEIGHT = 240;

/** Views per day as a line chart (uPlot, on a canvas), sized to its container. */
export class ViewChart {
  private plot: uPlot | undefined;

  constructor(private readonly container: HTMLElement) {
    new ResizeObserver(() => this.plot?.setSize(this.size())).observe(container);
  }

  show(label: string, points: DailyPoint[]): void {
    const data: uPlot.AlignedData = [
      points.map((point) => Date.parse(`${point.day}T00:00:00Z`) / 1000),
      points.map((point) => point.count),
    ];
    this.plot?.destroy();
    this.plot = new uPlot(
      {
        ...this.size(),
        // Days are UTC dates: label them as such whatever the viewer's time zone.
        tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
        scales: { y: { range: (_plot, _min, max) => [0, Math.max(4, Math.ceil(max * 1.15))] } },
        series: [
          { label: 'Day', value: '{YYYY}-{MM}-{DD}' },
          {
            label: `${label} · views`,
            stroke: '#1e80ff',
            fill: 'rgba(30, 128, 255, 0.12)',
            width: 2,
            points: { show: points.length <= 31 },
          },
        ],
        axes: [{ grid: { stroke: '#eef0f3' } }, { grid: { stroke: '#eef0f3' } }],
        cursor: { drag: { x: false, y: false } },
      },
      data,
      this.container,
    );
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(280, this.container.clientWidth), height: HEIGHT };
  }
}
