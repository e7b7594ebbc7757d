import { parse } from 'graphql';
import { namesLongText } from '../../src/lib/long-text';

describe('namesLongText', () => {
  it.each([
    ['a field', '{ talk(id: "1") { abstract } }'],
    ['an aliased field', '{ talk(id: "1") { text: abstract } }'],
    ['a named fragment', '{ speakers { nodes { ...S } } } fragment S on Speaker { bio }'],
    ['an inline fragment', '{ node(id: "1") { ... on Event { summary } } }'],
    ['a mutation payload', 'mutation { updateTopic(id: "1", input: {}) { description } }'],
  ])('is true for %s', (_, text) => {
    expect(namesLongText(parse(text))).toBe(true);
  });

  it.each([
    ['fields of other names', '{ events { nodes { title talks { title } } } }'],
    ['the words as values', '{ talks(filter: { search: "abstract bio" }) { nodes { title } } }'],
    [
      'an input field of that name',
      'mutation { updateTalk(id: "1", input: { abstract: "x" }) { title } }',
    ],
  ])('is false for %s', (_, text) => {
    expect(namesLongText(parse(text))).toBe(false);
  });
});
