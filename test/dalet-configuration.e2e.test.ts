/**
 * The 22 configuration queries: each example of the Configuration section run as printed against the demo
 * site the migrations load, then the filters, pages and abstract types the examples do not show.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIGURATION_EXAMPLES } from './fixtures/dalet-configuration-examples.ts';
import { startDaletPlatform, type DaletPlatform } from './helpers/dalet-platform.ts';

let platform: DaletPlatform;
let user: { id: string; token: string };
beforeAll(async () => {
  platform = await startDaletPlatform();
  user = await platform.newUser('planner');
}, 60_000);
afterAll(async () => platform?.stop());

/** What each example answers on the demo site: the names (or ids) of its list, and one detail. */
const EXPECTED: Record<string, { list: string; names: string[]; detail?: Record<string, unknown> }> = {
  assetStatuses: { list: 'assetStatuses', names: ['New', 'Approved', 'Archive'], detail: { abbreviation: 'NEW', color: '#FFFFFF' } },
  blockTemplates: { list: 'blockTemplates', names: ['News Block', 'Commercial Break'], detail: { id: '1074', mediaType: 'STORY' } },
  cgTypes: { list: 'cgTypes', names: ['Lower Third', 'Logo Bug'], detail: { id: '1078' } },
  dataFields: { list: 'dataFields', names: ['Task Assignee', 'Task Created Time'], detail: { inherited: false } },
  dataFieldTableTypes: { list: 'dataFieldTableTypes', names: ['Credits', 'NLP_keyword_table', 'Rights Windows'] },
  dataFieldTypes: {
    list: 'dataFieldTypes',
    names: [
      'Contacts Glossary',
      'Genre',
      'Number',
      'Object',
      'Period',
      'Rating',
      'Short Synopsis',
      'Text',
      'Time Date',
      'Timecode',
      'Timecode Date',
    ],
  },
  deployedSolrIndexes: {
    list: 'solrIndexes',
    names: ['API3_Index'],
    detail: { solrVersion: 'SOLR_7_5', cores: [expect.objectContaining({ language: { name: 'English' } })] },
  },
  extendedAssetTypes: { list: 'extendedAssetTypes', names: ['Spreadsheet', 'Archive File'], detail: { withFile: true } },
  languages: { list: 'languages', names: ['English', 'French', 'Hebrew'], detail: { id: '98' } },
  locatorFamilies: { list: 'locatorFamilies', names: ['Closed Captions'], detail: { abbreviation: 'CC', system: true } },
  locatorTypes: {
    list: 'locatorTypes',
    names: ['Caption', 'Segment', 'Break'],
    detail: { family: { name: 'Closed Captions' }, inheritance: 'FULL' },
  },
  mediaFormats: { list: 'mediaFormats', names: ['XDCAM HD 50', 'H.264 Proxy'], detail: { fileNamePatterns: ['*.mxf'] } },
  mediaPackTemplates: {
    list: 'mediaPackTemplates',
    names: ['IMF Package (IMP)'],
    detail: {
      embeddedItems: [
        { name: 'Composition Playlist', rule: { maxItemCount: 1 } },
        { name: 'Track Files', rule: { maxItemCount: 32 } },
      ],
    },
  },
  migrationPolicies: { list: 'migrationPolicies', names: ['Archive after 30 days', 'Purge proxies after 1 year'] },
  stations: { list: 'stations', names: ['News Channel', 'Sports Channel'], detail: { code: 'NEWS', defaultStudio: { id: '701' } } },
  storageUnits: {
    list: 'storageUnits',
    names: ['Cloud Archive', 'Cloud Proxies'],
    detail: {
      type: 'REMOTE',
      protocol: { bucketName: 'dalet-archive', url: 'https://s3.eu-west-1.amazonaws.com/dalet-archive', storageClass: 'GLACIER' },
    },
  },
  storyTemplates: { list: 'storyTemplates', names: ['News Story', 'Voice Over'], detail: { id: '1001' } },
  studioChannels: {
    list: 'studioChannels',
    names: ['Main Playlist'],
    detail: { acceptedAssetTypes: [{ id: '1' }, { id: '2' }], associatedLocatorType: { name: 'Segment' } },
  },
  studios: { list: 'studios', names: ['Studio A Playout', 'Channel 2 Automation'], detail: { fifo: false } },
  subtitlesTypes: { list: 'subtitlesTypes', names: ['Subtitle'], detail: { storeTtml: true, storeNative: true } },
  trackStackTemplates: {
    list: 'trackStackTemplates',
    names: ['Stereo Programme'],
    detail: { id: '1073', tracks: [{ type: 'TT_VIDEO' }, { type: 'TT_AUDIO' }, { type: 'TT_AUDIO' }] },
  },
  userTaskTypes: {
    list: 'userTaskTypes',
    names: ['API User Task'],
    detail: {
      defaultDueDateOffset: 'P1D',
      associatedTitleField: { name: 'Item Code' },
      taskResults: [{ value: 'Done' }, { value: 'Failed' }],
    },
  },
};

describe('the Configuration section, example by example', () => {
  it('has all 22 queries', () => expect(Object.keys(CONFIGURATION_EXAMPLES).sort()).toEqual(Object.keys(EXPECTED).sort()));

  it.each(Object.keys(EXPECTED))('%s, as printed', async (query) => {
    const { list, names, detail } = EXPECTED[query]!;
    const data = await platform.ok(user.token, CONFIGURATION_EXAMPLES[query]!);
    const items = data[query][list] as Record<string, unknown>[];
    expect(items.map((item) => item.name)).toEqual(names);
    if ('totalCount' in data[query]) expect(data[query].totalCount).toBe(names.length);
    if (detail) expect(items[0]).toMatchObject(detail);
  });
});

describe('configuration queries', () => {
  it('need a Dalet user: the token of a deleted user is refused', async () => {
    const gone = await platform.newUser('gone');
    await platform.ok(platform.adminToken, `mutation { deleteUsers(input: { usersWith: { ids: [${gone.id}] } }) { deletedUserIds } }`);
    const { body } = await platform.as(gone.token, CONFIGURATION_EXAMPLES.languages!);
    // Refused by the gateway, which asks dalet whether the token still holds: no subgraph is named.
    expect(body.errors?.[0]?.extensions).toEqual({ errorCode: 'AuthenticationError', classification: 'ExecutionAborted' });
  });

  it('AND their filters, and page', async () => {
    const anded = await platform.ok(
      user.token,
      '{ languages(input: { where: { usedOnSite: true, default: false, codes: ["FR", "DE"] } }) { totalCount languages { name isoCode } } }',
    );
    expect(anded.languages).toEqual({ totalCount: 1, languages: [{ name: 'French', isoCode: 'fr' }] });
    const first = await platform.ok(
      user.token,
      '{ mediaFormats(input: { select: { first: 3 } }) { totalCount pageInfo { endCursor hasNextPage } mediaFormats { id } } }',
    );
    expect(first.mediaFormats).toMatchObject({
      totalCount: 8,
      pageInfo: { hasNextPage: true },
      mediaFormats: [{ id: '301' }, { id: '302' }, { id: '303' }],
    });
    const next = await platform.ok(
      user.token,
      'query ($after: String) { mediaFormats(input: { select: { first: 3, after: $after } }) { mediaFormats { id } } }',
      { after: first.mediaFormats.pageInfo.endCursor },
    );
    expect(next.mediaFormats.mediaFormats).toEqual([{ id: '311' }, { id: '312' }, { id: '321' }]);
  });

  it('answer abstract types by their implementations: protocols, data field types, media formats', async () => {
    const data = await platform.ok(
      user.token,
      `{
      storageUnits(input: { where: { protocolTypes: [UNC, FTP, YOUTUBE] } }) { storageUnits { name protocol {
        __typename ... on UncStorageUnitProtocol { path } ... on FtpStorageUnitProtocol { port encryption subFolderNamingRule { pathElements { value } } }
        ... on YouTubeStorageUnitProtocol { youtubeAccount { name } } } } }
      dataFieldTypes(input: { where: { names: ["Genre", "Short Synopsis"] } }) { dataFieldTypes { __typename name ... on EnumDataFieldType { values } ... on LengthRangeDataFieldType { lengthUnit maxLength } } }
      mediaFormats(input: { where: { types: [IMAGE] } }) { mediaFormats { ... on ImageMediaFormat { width height } } }
      locatorTypes(input: { where: { familyNames: ["Comments"] } }) { locatorTypes { name subtype } }
    }`,
    );
    expect(data.storageUnits.storageUnits.map((unit: any) => unit.protocol.__typename)).toEqual([
      'UncStorageUnitProtocol',
      'FtpStorageUnitProtocol',
      'YouTubeStorageUnitProtocol',
    ]);
    expect(data.storageUnits.storageUnits[1].protocol).toMatchObject({
      port: 21,
      encryption: 'EXPLICIT_FTPS',
      subFolderNamingRule: { pathElements: [{ value: 'deliveries' }, { value: 'Record Date' }] },
    });
    expect(data.dataFieldTypes.dataFieldTypes).toEqual([
      { __typename: 'EnumDataFieldType', name: 'Genre', values: ['Documentary', 'Drama', 'News', 'Sport'] },
      { __typename: 'LengthRangeDataFieldType', name: 'Short Synopsis', lengthUnit: 'WORDS', maxLength: 50 },
    ]);
    expect(data.mediaFormats.mediaFormats).toEqual([{ width: 1920, height: 1080 }]);
    expect(data.locatorTypes.locatorTypes).toEqual([
      { name: 'Note', subtype: 'RANGE' },
      { name: 'Credits Table', subtype: 'TABLE' },
    ]);
  });

  it("resolve the categories and groups they name from the store, with the caller's rights", async () => {
    const query =
      '{ trackStackTemplates { trackStackTemplates { defaultCategory { fullName } } } userTaskTypes { userTaskTypes { defaultCategory { fullName } defaultUserGroupAssignments { name } } } stations(input: { where: { codes: ["NEWS"] } }) { stations { defaultRundownCategory { fullName } } } }';
    const data = await platform.ok(user.token, query);
    expect(data.trackStackTemplates.trackStackTemplates[0].defaultCategory).toEqual({ fullName: 'CATEGORIES/To review' });
    expect(data.userTaskTypes.userTaskTypes[0]).toEqual({
      defaultCategory: { fullName: 'CATEGORIES/Assignments' },
      defaultUserGroupAssignments: [{ name: 'EDITORS' }],
    });
    expect(data.stations.stations[0].defaultRundownCategory).toEqual({ fullName: 'CATEGORIES/Rundowns' });
  });
});
