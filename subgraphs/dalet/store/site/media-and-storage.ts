/** The demo site's media formats, storage units (one of most protocols), migration policies and SolR index. */
import { fieldNamed, LANGUAGES } from './fields-and-locators.ts';

const format = (
  __typename: string,
  id: string,
  name: string,
  mediaType: string,
  fileNamePatterns: string[],
  extra: Record<string, unknown> = {},
) => ({
  __typename,
  id,
  name,
  alias: null,
  fileNamePatterns,
  mediaType,
  usedOnSite: true,
  ...extra,
});
const playable = { availableForBrowsing: true, availableForEditing: true, availableForStreaming: false };

export const MEDIA_FORMATS = [
  format('VideoMediaFormat', '301', 'XDCAM HD 50', 'VIDEO', ['*.mxf'], { rate: 25, scale: 1, ...playable }),
  format('VideoMediaFormat', '302', 'H.264 Proxy', 'VIDEO', ['*.mp4'], { rate: 25, scale: 1, ...playable, availableForStreaming: true }),
  format('VideoMediaFormat', '303', 'ProRes 422 HQ', 'VIDEO', ['*.mov'], { rate: 30000, scale: 1001, ...playable, usedOnSite: false }),
  format('AudioMediaFormat', '311', 'WAV 48k', 'AUDIO', ['*.wav'], playable),
  format('AudioMediaFormat', '312', 'MP3 Proxy', 'AUDIO', ['*.mp3'], { ...playable, availableForStreaming: true }),
  format('ImageMediaFormat', '321', 'JPEG', 'IMAGE', ['*.jpg', '*.jpeg'], {
    canBeAConversionSource: true,
    canBeAConversionTarget: true,
    previewInWebSpace: true,
    previewInGalaxy: true,
    width: 1920,
    height: 1080,
  }),
  format('SubtitlesMediaFormat', '331', 'EBU STL', 'SUBTITLES', ['*.stl']),
  format('MiscMediaFormat', '341', 'PDF Document', 'MISC', ['*.pdf'], { mimeType: 'application/pdf', associatedAssetType: null }),
];

const namingRule = { fields: [fieldNamed('Item Code')], delimiter: '_', maxLength: 64, forbiddenCharacters: '\\/:*?"<>|', prefix: null };
const storageUnit = (id: string, name: string, type: string, protocolType: string, protocol: Record<string, unknown>) => ({
  id,
  name,
  type,
  protocolType,
  protocol,
  domain: { id: '1', name: 'Main Site', description: 'The broadcast centre' },
  aliases: [],
});

export const STORAGE_UNITS = [
  storageUnit('401', 'Main Storage', 'LOCAL', 'UNC', {
    __typename: 'UncStorageUnitProtocol',
    HSMSupport: false,
    path: '\\\\isilon01\\media',
    mediaNamingRule: namingRule,
    auxiliaryFiles: { movRef: false, tcd: false, idx: true, vol: false },
    suffixOnOverwrite: true,
    login: 'svc_media',
  }),
  storageUnit('402', 'Proxy Web', 'LOCAL', 'HTTP', {
    __typename: 'HttpStorageUnitProtocol',
    url: 'https://proxy.example.com/media',
    mediaNamingRule: namingRule,
  }),
  storageUnit('403', 'Delivery FTP', 'EXTERNAL', 'FTP', {
    __typename: 'FtpStorageUnitProtocol',
    url: 'ftp://delivery.example.com/in',
    login: 'delivery',
    host: 'delivery.example.com',
    rootDirectory: '/in',
    port: 21,
    encryption: 'EXPLICIT_FTPS',
    mediaNamingRule: namingRule,
    auxiliaryFiles: null,
    subFolderNamingRule: {
      pathElements: [
        { constant: true, value: 'deliveries', format: null },
        { constant: false, value: 'Record Date', format: 'yyyy-MM-dd' },
      ],
    },
  }),
  storageUnit('404', 'Archive SFTP', 'REMOTE', 'SECURE_FTP', {
    __typename: 'SecureFtpStorageUnitProtocol',
    url: 'sftp://archive.example.com',
    authenticationMode: 'PUBLIC_PRIVATE_KEYS',
    strictHostCheck: true,
    hostPublicKeyFilePath: '/etc/dalet/archive.pub',
    login: 'archive',
    host: 'archive.example.com',
    rootDirectory: '/archive',
    port: 22,
    mediaNamingRule: namingRule,
    auxiliaryFiles: null,
    subFolderNamingRule: null,
  }),
  storageUnit('405', 'Cloud Archive', 'REMOTE', 'AMAZON_S3', {
    __typename: 'AmazonS3StorageUnitProtocol',
    bucketName: 'dalet-archive',
    url: 'https://s3.eu-west-1.amazonaws.com/dalet-archive',
    cloudFrontDomainName: 'd111111abcdef8.cloudfront.net',
    storageClass: 'GLACIER',
    mediaNamingRule: namingRule,
  }),
  storageUnit('406', 'Cloud Proxies', 'REMOTE', 'AMAZON_S3', {
    __typename: 'AmazonS3StorageUnitProtocol',
    bucketName: 'dalet-proxies',
    url: 'https://s3.eu-west-1.amazonaws.com/dalet-proxies',
    cloudFrontDomainName: null,
    storageClass: 'STANDARD',
    mediaNamingRule: namingRule,
  }),
  storageUnit('407', 'Deep Archive', 'REMOTE', 'DIVA', {
    __typename: 'DivaStorageUnitProtocol',
    url: null,
    host: 'diva.example.com',
    port: 9065,
    divaMediaType: 'GROUP',
    divaMediaName: 'TAPES',
    divaCategory: 'NEWS',
    useExtension: true,
    mediaNamingRule: namingRule,
  }),
  storageUnit('408', 'YouTube Channel', 'EXTERNAL', 'YOUTUBE', {
    __typename: 'YouTubeStorageUnitProtocol',
    youtubeId: 'UC000000',
    youtubeUrl: 'https://www.youtube.com/channel/UC000000',
    youtubeAccount: { id: '1', name: 'Newsroom', description: 'The newsroom channel' },
  }),
];

export const MIGRATION_POLICIES = [
  { id: '501', name: 'Archive after 30 days', enabled: true, usedOnSite: true },
  { id: '502', name: 'Purge proxies after 1 year', enabled: true, usedOnSite: true },
  { id: '503', name: 'Restore on demand', enabled: false, usedOnSite: false },
];

const solrType = (name: string, baseType: string, usages: string[]) => ({ name, description: null, system: true, baseType, usages });
const solrField = (name: string, type: ReturnType<typeof solrType>) => ({
  name,
  type,
  cardinality: 'SINGLE',
  indexed: true,
  stored: true,
  omitNorms: false,
  highlights: false,
  termOffsets: false,
  termPositions: false,
  termVectors: false,
});
const titleField = solrField('title_t', solrType('text_general', 'TEXT', ['FULLTEXT', 'HIGHLIGHT']));
const codeField = solrField('item_code_s', solrType('string', 'TEXT', ['SEARCH_BY_EXACT_VALUE', 'SORT']));

export const SOLR_INDEXES = [
  {
    id: '601',
    name: 'API3_Index',
    tagName: 'API3',
    description: 'Assets searched through the API',
    solrVersion: 'SOLR_7_5',
    version: 3,
    status: 'READY',
    url: 'http://solr.example.com:8983/solr',
    languages: [LANGUAGES[0]],
    cores: [
      {
        id: '1',
        name: 'api3_en',
        language: LANGUAGES[0],
        mapping: [
          { daletFieldName: 'Title', solrField: titleField, usage: 'FULLTEXT' },
          { daletFieldName: 'Item Code', solrField: codeField, usage: 'SEARCH_BY_EXACT_VALUE' },
        ],
      },
    ],
  },
];
