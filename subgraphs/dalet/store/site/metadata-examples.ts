/**
 * Configuration the doc's Metadata and Locators examples name ("Multi text", "NLP_keyword_table", the
 * locator type "NLP-NER"...), added by migration 005 so that those examples run as printed on any store.
 */
import { DATA_FIELD_TYPES } from './fields-and-locators.ts';

const typeNamed = (name: string) => DATA_FIELD_TYPES.find((type) => type.name === name)!;

const field = (id: string, name: string, tagName: string, type: string, extra: Record<string, unknown> = {}) => ({
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

export const EXAMPLE_DATA_FIELDS = [
  field('113', 'Multi text', 'MULTI_TEXT', 'Text', { cardinality: 'MULTI' }),
  field('114', 'Title Author', 'TITLE_AUTHOR', 'Text'),
  field('115', 'Title Reference', 'TITLE_REFERENCE', 'Object'),
  field('116', 'Title Kill Date', 'TITLE_KILL_DATE', 'Time Date'),
  field('117', 'LOCATOR_Comment', 'NLP_LOCATOR_COMMENT', 'Text'),
  field('118', 'Timing', 'TIMING', 'Timecode'),
  field('119', 'Episode Number', 'EPISODE_NUMBER', 'Number'),
];

const exampleField = (name: string) => EXAMPLE_DATA_FIELDS.find((candidate) => candidate.name === name)!;

export const EXAMPLE_DATA_FIELD_TABLE_TYPES = [
  { name: 'NLP_keyword_table', dataFields: [exampleField('LOCATOR_Comment'), exampleField('Timing')] },
];

const NLP_FAMILY = {
  id: '4',
  name: 'NLP',
  description: 'Found by language processing',
  abbreviation: 'NLP',
  color: '#9370DB',
  system: false,
};

export const EXAMPLE_LOCATOR_FAMILIES = [NLP_FAMILY];

export const EXAMPLE_LOCATOR_TYPES = [
  {
    id: '206',
    name: 'NLP-NER',
    family: NLP_FAMILY,
    abbreviation: 'NER',
    color: NLP_FAMILY.color,
    subtype: 'SINGLE',
    inheritance: 'NONE',
    hidden: false,
    system: false,
    maxAllowedInstances: null,
    createThumbnails: false,
    dataFields: [exampleField('LOCATOR_Comment')],
  },
];

/** By configuration kind, as migration 002 keys the site. */
export const METADATA_EXAMPLES_SITE: Record<string, readonly Record<string, unknown>[]> = {
  dataFields: EXAMPLE_DATA_FIELDS,
  dataFieldTableTypes: EXAMPLE_DATA_FIELD_TABLE_TYPES,
  locatorFamilies: EXAMPLE_LOCATOR_FAMILIES,
  locatorTypes: EXAMPLE_LOCATOR_TYPES,
};
