/**
 * The data fields the doc's Assets examples name ("Keywords", "CG Ready", the tag names "TitleAuthor",
 * "TitleSource", "TitleStatus"...), added by migration 003 so that those examples run as printed.
 */
import { field } from './fields-and-locators.ts';

export const ASSET_EXAMPLE_DATA_FIELDS = [
  field('120', 'Keywords', 'KEYWORDS', 'Text', { cardinality: 'MULTI' }),
  field('121', 'CG Ready', 'CG_READY', 'Text'),
  field('122', 'Author', 'TitleAuthor', 'Text'),
  field('123', 'Source', 'TitleSource', 'Text'),
  field('124', 'Title Keep Date', 'TITLE_KEEP_DATE', 'Time Date'),
  field('125', 'Editorial Status', 'TitleStatus', 'Text'),
  field('126', 'Title End Date', 'TITLE_END_DATE', 'Time Date'),
  field('127', 'TS Originated From', 'TS_ORIGINATED_FROM', 'Text'),
];
