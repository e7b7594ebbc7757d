import './dashboard.css';
import {
  DashboardCountersDocument,
  DashboardEventsDocument,
  type DashboardEventsQuery,
  DashboardLeaderboardDocument,
  type DashboardLeaderboardQuery,
  DashboardSpeakerHistoryDocument,
  DashboardTopicsDocument,
  type SpeakerMetric,
} from '../__generated__/graphql';
import { onConnectionChange, request, subscribe, type Subscription } from './api';
import { ViewChart } from './chart';
import { formatNumber, h } from './dom';

type Ranking = DashboardLeaderboardQuery['speakerLeaderboard'][number];
type EventRow = DashboardEventsQuery['events']['nodes'][number];

const METRICS: { metric: SpeakerMetric; label: string }[] = [
  { metric: 'VIEWS', label: 'Views' },
  { metric: 'LIKES', label: 'Likes' },
  { metric: 'TALKS', label: 'Talks' },
];
const LEADERBOARD_SIZE = 10;
const EVENTS_SHOWN = 10;
const HISTORY_DAYS = 30;
/** The server watches at most 100 ids per subscription. */
const MAX_WATCHED = 100;
/** Aggregates trail the counters by up to one flush interval (1 s by default). */
const REFRESH_AFTER_CHANGE_MS = 1500;

const params = new URLSearchParams(window.location.hash.slice(1));
const state = {
  metric: (METRICS.find((entry) => entry.metric === params.get('metric')?.toUpperCase())?.metric ??
    'VIEWS') as SpeakerMetric,
  topic: params.get('topic') ?? '',
  speakerId: null as string | null,
};

const live = h('span', { class: 'live', 'data-state': 'connecting' }, 'connecting…');
const metricButtons = METRICS.map(({ metric, label }) =>
  h(
    'button',
    {
      type: 'button',
      'data-metric': metric,
      'aria-pressed': String(metric === state.metric),
      onclick: () => setMetric(metric),
    },
    label,
  ),
);
const topicSelect = h(
  'select',
  { 'aria-label': 'Topic', onchange: () => setTopic(topicSelect.value) },
  h('option', { value: '' }, 'All topics'),
);
const leaderboard = h('div', { class: 'leaderboard-body' }, muted('Loading…'));
const historyTitle = h('h2', {}, 'Views per day');
const chartBox = h('div', { class: 'chart' });
const events = h('div', { class: 'events-body' }, muted('Loading…'));
const chart = new ViewChart(chartBox);

document
  .getElementById('dashboard')!
  .replaceChildren(
    h(
      'header',
      { class: 'bar' },
      h('h1', {}, 'talkgraph ', h('span', {}, 'dashboard')),
      h('nav', {}, h('a', { href: '/graphql' }, 'GraphiQL'), live),
    ),
    h(
      'main',
      {},
      h(
        'section',
        { class: 'card', id: 'leaderboard' },
        h(
          'div',
          { class: 'card-head' },
          h('h2', {}, 'Speaker leaderboard'),
          h(
            'div',
            { class: 'controls' },
            h('div', { class: 'switch' }, metricButtons),
            topicSelect,
          ),
        ),
        leaderboard,
      ),
      h(
        'section',
        { class: 'card', id: 'history' },
        h('div', { class: 'card-head' }, historyTitle, muted(`last ${HISTORY_DAYS} days, UTC`)),
        chartBox,
      ),
      h(
        'section',
        { class: 'card wide', id: 'events' },
        h('div', { class: 'card-head' }, h('h2', {}, 'Events'), muted('counters update live')),
        events,
      ),
    ),
  );

function setMetric(metric: SpeakerMetric): void {
  state.metric = metric;
  for (const button of metricButtons) {
    button.setAttribute('aria-pressed', String(button.dataset.metric === metric));
  }
  saveToHash();
  void loadLeaderboard();
}

function setTopic(topic: string): void {
  state.topic = topic;
  saveToHash();
  void loadLeaderboard();
}

function saveToHash(): void {
  const hash = new URLSearchParams({ metric: state.metric.toLowerCase() });
  if (state.topic) hash.set('topic', state.topic);
  history.replaceState(null, '', `#${hash}`);
}

async function loadTopics(): Promise<void> {
  try {
    const { topics } = await request(DashboardTopicsDocument, {});
    const choices = [...topics.nodes]
      .filter((topic) => topic.talkCount > 0)
      .sort((a, b) => b.talkCount - a.talkCount || a.name.localeCompare(b.name, 'zh-CN'));
    topicSelect.append(
      ...choices.map((topic) =>
        h('option', { value: topic.slug }, `${topic.name} (${topic.talkCount})`),
      ),
    );
    topicSelect.value = state.topic;
  } catch (error) {
    topicSelect.title = `Topics could not be loaded: ${(error as Error).message}`;
  }
}

/** Answers can arrive out of order when the metric or topic changes quickly: keep the last. */
let leaderboardRequest = 0;

async function loadLeaderboard(): Promise<void> {
  const ticket = ++leaderboardRequest;
  try {
    const { speakerLeaderboard } = await request(DashboardLeaderboardDocument, {
      metric: state.metric,
      first: LEADERBOARD_SIZE,
      topic: state.topic || null,
    });
    if (ticket !== leaderboardRequest) return;
    renderLeaderboard(speakerLeaderboard);
    const shown = speakerLeaderboard.map((ranking) => ranking.speaker.id);
    if (!state.speakerId || !shown.includes(state.speakerId)) {
      state.speakerId = shown[0] ?? null;
      markSelected();
    }
    await loadHistory();
  } catch (error) {
    if (ticket === leaderboardRequest) leaderboard.replaceChildren(failure(error));
  }
}

function renderLeaderboard(rankings: Ranking[]): void {
  if (rankings.length === 0) {
    leaderboard.replaceChildren(muted('No speaker has a talk on this topic yet.'));
    return;
  }
  const column = (metric: SpeakerMetric) => (metric === state.metric ? 'num metric' : 'num');
  leaderboard.replaceChildren(
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { class: 'num' }, '#'),
          h('th', {}, 'Speaker'),
          h('th', { class: column('TALKS') }, 'Talks'),
          h('th', { class: column('VIEWS') }, 'Views'),
          h('th', { class: column('LIKES') }, 'Likes'),
        ),
      ),
      h(
        'tbody',
        {},
        rankings.map(({ rank, speaker }) =>
          h(
            'tr',
            {
              'data-speaker-id': speaker.id,
              'data-speaker-slug': speaker.slug,
              tabindex: 0,
              title: 'Show this speaker’s views per day',
              onclick: () => selectSpeaker(speaker.id),
              onkeydown: (event) => {
                if ((event as KeyboardEvent).key === 'Enter') selectSpeaker(speaker.id);
              },
            },
            h('td', { class: 'num rank' }, rank),
            h(
              'td',
              {},
              h('span', { class: 'name' }, speaker.name),
              speaker.affiliation && h('span', { class: 'affiliation' }, speaker.affiliation),
            ),
            h('td', { class: column('TALKS') }, formatNumber(speaker.stats.talkCount)),
            h('td', { class: column('VIEWS') }, formatNumber(speaker.stats.viewCount)),
            h('td', { class: column('LIKES') }, formatNumber(speaker.stats.likeCount)),
          ),
        ),
      ),
    ),
  );
  markSelected();
}

function selectSpeaker(id: string): void {
  state.speakerId = id;
  markSelected();
  void loadHistory();
}

function markSelected(): void {
  for (const row of leaderboard.querySelectorAll<HTMLElement>('tr[data-speaker-id]')) {
    row.classList.toggle('selected', row.dataset.speakerId === state.speakerId);
  }
}

let historyRequest = 0;

async function loadHistory(): Promise<void> {
  const id = state.speakerId;
  const ticket = ++historyRequest;
  if (!id) {
    historyTitle.textContent = 'Views per day';
    chartBox.replaceChildren(muted('No speaker selected.'));
    return;
  }
  try {
    const { speaker } = await request(DashboardSpeakerHistoryDocument, {
      id,
      days: HISTORY_DAYS,
    });
    if (ticket !== historyRequest) return;
    if (!speaker) throw new Error('This speaker no longer exists.');
    historyTitle.textContent = `Views per day: ${speaker.name}`;
    chartBox.replaceChildren();
    chart.show(speaker.name, speaker.stats.viewHistory);
  } catch (error) {
    if (ticket === historyRequest) chartBox.replaceChildren(failure(error));
  }
}

let counters: Subscription | undefined;

async function loadEvents(): Promise<void> {
  try {
    const data = await request(DashboardEventsDocument, { first: EVENTS_SHOWN });
    const rows = data.events.nodes;
    events.replaceChildren(
      rows.length === 0 ? muted('No events yet.') : h('div', {}, rows.map(renderEvent)),
    );
    const ids = rows.flatMap((event) => [event.id, ...event.talks.map((talk) => talk.id)]);
    counters?.close();
    if (ids.length > 0) {
      counters = subscribe(
        DashboardCountersDocument,
        { ids: ids.slice(0, MAX_WATCHED) },
        {
          next: ({ counterUpdated }) =>
            showCounters(
              counterUpdated.subject.id,
              counterUpdated.viewCount,
              counterUpdated.likeCount,
            ),
          error: (error) => {
            live.dataset.state = 'failed';
            live.textContent = `live updates stopped: ${error.message}`;
          },
        },
      );
    }
  } catch (error) {
    events.replaceChildren(failure(error));
  }
}

function renderEvent(event: EventRow): HTMLElement {
  const meta = [
    event.series && (event.edition ? `${event.series} #${event.edition}` : event.series),
    event.startsAt.slice(0, 10),
    event.city,
  ].filter(Boolean);
  return h(
    'article',
    { class: 'event' },
    h(
      'header',
      {},
      h('div', {}, h('h3', {}, event.title), h('p', { class: 'meta' }, meta.join(' · '))),
      counterBadges(event.id, event.viewCount, event.likeCount),
    ),
    h(
      'ol',
      { class: 'talks' },
      event.talks.map((talk) =>
        h(
          'li',
          { 'data-talk-id': talk.id },
          h(
            'div',
            {},
            h('span', { class: 'talk-title' }, talk.title),
            h(
              'span',
              { class: 'speakers' },
              talk.speakers.map((speaker) => speaker.name).join('、'),
            ),
          ),
          counterBadges(talk.id, talk.viewCount, talk.likeCount),
        ),
      ),
    ),
  );
}

function counterBadges(id: string, views: number, likes: number): HTMLElement {
  return h(
    'div',
    { class: 'counters', 'data-counters-for': id },
    h(
      'span',
      { class: 'counter', 'data-kind': 'views' },
      h('b', {}, formatNumber(views)),
      ' views',
    ),
    h(
      'span',
      { class: 'counter', 'data-kind': 'likes' },
      h('b', {}, formatNumber(likes)),
      ' likes',
    ),
  );
}

let refreshTimer: ReturnType<typeof setTimeout> | undefined;

function showCounters(id: string, views: number, likes: number): void {
  for (const box of document.querySelectorAll<HTMLElement>(
    `[data-counters-for="${CSS.escape(id)}"]`,
  )) {
    update(box.querySelector('[data-kind="views"]'), views);
    update(box.querySelector('[data-kind="likes"]'), likes);
  }
  // The leaderboard and the chart add these counters up: refresh them once things settle.
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => void loadLeaderboard(), REFRESH_AFTER_CHANGE_MS);
}

function update(counter: HTMLElement | null, value: number): void {
  const number = counter?.querySelector('b');
  if (!counter || !number) return;
  const text = formatNumber(value);
  if (number.textContent === text) return;
  number.textContent = text;
  counter.classList.remove('bump');
  // Reading layout restarts the animation for a second change in a row.
  void counter.offsetWidth;
  counter.classList.add('bump');
}

function muted(text: string): HTMLElement {
  return h('p', { class: 'muted' }, text);
}

function failure(error: unknown): HTMLElement {
  return h('p', { class: 'error', role: 'alert' }, (error as Error).message);
}

// Last, once every module-level binding above is initialised.
onConnectionChange((connection) => {
  live.dataset.state = connection;
  live.textContent = connection === 'connected' ? 'live' : 'reconnecting…';
});
void loadTopics();
void loadLeaderboard();
void loadEvents();
