/**
 * The demo site's data fields, languages and locators: named as the doc's examples name them, so that those
 * examples answer something. Objects that others embed (a data field in a locator type...) are built once here.
 */
const simpleType = (name: string, valueType: string) => ({
  __typename: 'SimpleDataFieldType',
  name,
  displayName: name,
  description: null,
  system: true,
  valueType,
});

export const DATA_FIELD_TYPES = [
  simpleType('Text', 'TEXT'),
  simpleType('Number', 'NUMBER'),
  simpleType('Period', 'PERIOD'),
  simpleType('Time Date', 'TIME_DATE'),
  simpleType('Timecode', 'TIMECODE'),
  simpleType('Timecode Date', 'TIMECODE_DATE'),
  simpleType('Object', 'OBJECT'),
  {
    __typename: 'EnumDataFieldType',
    name: 'Genre',
    displayName: 'Genre',
    description: 'Programme genres',
    system: false,
    valueType: 'TEXT',
    acceptAnyValue: false,
    addNewValuesToList: false,
    sorted: true,
    values: ['Documentary', 'Drama', 'News', 'Sport'],
  },
  {
    __typename: 'LengthRangeDataFieldType',
    name: 'Short Synopsis',
    displayName: 'Short Synopsis',
    description: 'At most 50 words',
    system: false,
    valueType: 'TEXT',
    lengthUnit: 'WORDS',
    minLength: 1,
    maxLength: 50,
  },
  {
    __typename: 'RangeDataFieldType',
    name: 'Rating',
    displayName: 'Rating',
    description: 'From 1 to 5',
    system: false,
    valueType: 'NUMBER',
    minValue: '1',
    maxValue: '5',
  },
  {
    __typename: 'GlossaryDataFieldType',
    name: 'Contacts Glossary',
    displayName: 'Contacts',
    description: null,
    system: true,
    valueType: 'OBJECT',
  },
];

const typeNamed = (name: string) => DATA_FIELD_TYPES.find((type) => type.name === name)!;

/** A data field of the site, of the data field type named `type`. */
export const field = (id: string, name: string, tagName: string, type: string, extra: Record<string, unknown> = {}) => ({
  id,
  name,
  tagName,
  description: null,
  type: typeNamed(type),
  cardinality: 'SINGLE',
  inherited: false,
  readOnly: false,
  mandatory: false,
  valueType: typeNamed(type).valueType,
  ...extra,
});

export const DATA_FIELDS = [
  field('101', 'Item Code', 'ITEM_CODE', 'Text', { mandatory: true }),
  field('102', 'Title Duration', 'TITLE_DURATION', 'Period'),
  field('103', 'Task Assignee', 'TASK_ASSIGNEE', 'Object'),
  field('104', 'Task Created Time', 'TASK_CREATED_TIME', 'Time Date', { readOnly: true }),
  field('105', 'Genre', 'GENRE', 'Genre', { cardinality: 'MULTI', inherited: true }),
  field('106', 'Synopsis', 'SYNOPSIS', 'Short Synopsis'),
  field('107', 'Rating', 'RATING', 'Rating'),
  field('108', 'Locator Comment', 'LOCATOR_COMMENT', 'Text'),
  field('109', 'Caption Text', 'CAPTION_TEXT', 'Text'),
  field('110', 'Record Date', 'RECORD_DATE', 'Timecode Date'),
  field('111', 'Category Description', 'CATEGORY_DESCRIPTION', 'Text'),
  field('112', 'Task Result', 'TASK_RESULT', 'Text'),
];

export const fieldNamed = (name: string) => DATA_FIELDS.find((candidate) => candidate.name === name)!;

export const DATA_FIELD_TABLE_TYPES = [
  { name: 'Credits', dataFields: [fieldNamed('Task Assignee'), fieldNamed('Locator Comment')] },
  { name: 'Rights Windows', dataFields: [fieldNamed('Record Date'), fieldNamed('Rating')] },
];

export const LANGUAGES = [
  { id: '98', name: 'English', code: 'EN', isoCode: 'en', subtitlesCode: 'eng', default: true, usedOnSite: true },
  { id: '99', name: 'French', code: 'FR', isoCode: 'fr', subtitlesCode: 'fra', default: false, usedOnSite: true },
  { id: '100', name: 'Hebrew', code: 'HE', isoCode: 'he', subtitlesCode: 'heb', default: false, usedOnSite: true },
  { id: '101', name: 'German', code: 'DE', isoCode: 'de', subtitlesCode: 'deu', default: false, usedOnSite: false },
];

export const LOCATOR_FAMILIES = [
  { id: '1', name: 'Closed Captions', description: 'Caption and subtitle cues', abbreviation: 'CC', color: '#FFD700', system: true },
  { id: '2', name: 'Segments', description: 'Programme parts and breaks', abbreviation: 'SEG', color: '#1E90FF', system: true },
  { id: '3', name: 'Comments', description: 'Editorial notes', abbreviation: 'COM', color: '#32CD32', system: false },
];

const family = (name: string) => LOCATOR_FAMILIES.find((candidate) => candidate.name === name)!;

const locatorType = (id: string, name: string, familyName: string, extra: Record<string, unknown>) => ({
  id,
  name,
  family: family(familyName),
  abbreviation: name.slice(0, 3).toUpperCase(),
  color: family(familyName).color,
  subtype: 'RANGE',
  inheritance: 'NONE',
  hidden: false,
  system: false,
  maxAllowedInstances: null,
  createThumbnails: false,
  dataFields: [fieldNamed('Locator Comment')],
  ...extra,
});

export const LOCATOR_TYPES = [
  locatorType('201', 'Caption', 'Closed Captions', { system: true, inheritance: 'FULL', dataFields: [fieldNamed('Caption Text')] }),
  locatorType('202', 'Segment', 'Segments', { system: true, inheritance: 'PARTIAL', createThumbnails: true }),
  locatorType('203', 'Break', 'Segments', { system: true, subtype: 'SINGLE' }),
  locatorType('204', 'Note', 'Comments', { maxAllowedInstances: 100 }),
  locatorType('205', 'Credits Table', 'Comments', { subtype: 'TABLE', dataFields: DATA_FIELD_TABLE_TYPES[0]!.dataFields }),
];

export const locatorTypeNamed = (name: string) => LOCATOR_TYPES.find((candidate) => candidate.name === name)!;
