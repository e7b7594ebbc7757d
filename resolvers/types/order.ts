import { registerEnumType } from 'type-graphql';

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(OrderDirection, { name: 'OrderDirection' });

export enum EventOrderField {
  STARTS_AT = 'STARTS_AT',
  TITLE = 'TITLE',
  VIEWS = 'VIEWS',
  LIKES = 'LIKES',
}
registerEnumType(EventOrderField, { name: 'EventOrderField' });

export enum TalkOrderField {
  STARTS_AT = 'STARTS_AT',
  TITLE = 'TITLE',
  VIEWS = 'VIEWS',
  LIKES = 'LIKES',
}
registerEnumType(TalkOrderField, { name: 'TalkOrderField' });

export enum SpeakerOrderField {
  NAME = 'NAME',
  TALK_COUNT = 'TALK_COUNT',
  VIEWS = 'VIEWS',
  LIKES = 'LIKES',
}
registerEnumType(SpeakerOrderField, { name: 'SpeakerOrderField' });

/**
 * Cursors remember which list and ordering issued them (`Talk:STARTS_AT:DESC`), so a
 * cursor from the events list is refused by the talks list rather than paging wrong.
 */
export function orderName(
  list: 'Event' | 'Talk' | 'Speaker' | 'Topic',
  field: string,
  direction: OrderDirection,
): string {
  return `${list}:${field}:${direction}`;
}
