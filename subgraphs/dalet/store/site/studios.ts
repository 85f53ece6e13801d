/** The demo site's stations, studios and studio channels. */
import { LANGUAGES, locatorTypeNamed } from './fields-and-locators.ts';
import { CG_TYPES, SIMPLE_ASSET_TYPES, SUBTITLES_TYPES } from './asset-types.ts';

export const STUDIOS = [
  { id: '701', type: 'PLAYOUT', name: 'Studio A Playout', fifo: false },
  { id: '702', type: 'PLAYOUT', name: 'Channel 2 Automation', fifo: true },
  { id: '703', type: 'RECORDING', name: 'Ingest Room', fifo: true },
];

export const STATIONS = [
  {
    id: '801',
    name: 'News Channel',
    description: '24 hour news',
    code: 'NEWS',
    type: 'PLAYOUT',
    defaultStudio: STUDIOS[0],
    defaultRundownCategoryFullName: 'CATEGORIES/Rundowns',
    fifo: false,
  },
  {
    id: '802',
    name: 'Sports Channel',
    description: null,
    code: 'SPORT',
    type: 'PLAYOUT',
    defaultStudio: STUDIOS[1],
    defaultRundownCategoryFullName: null,
    fifo: true,
  },
  {
    id: '803',
    name: 'Ingest',
    description: 'Feeds recording',
    code: 'ING',
    type: 'RECORDING',
    defaultStudio: STUDIOS[2],
    defaultRundownCategoryFullName: null,
    fifo: true,
  },
];

export const STUDIO_CHANNELS = [
  {
    id: '901',
    name: 'Main Playlist',
    type: 'PLAYLIST',
    description: 'Programme output',
    acceptedAssetTypes: [SIMPLE_ASSET_TYPES[0], SIMPLE_ASSET_TYPES[1]],
    language: LANGUAGES[0],
    associatedLocatorType: locatorTypeNamed('Segment'),
  },
  {
    id: '902',
    name: 'Carts',
    type: 'CARTS',
    description: 'Jingles',
    acceptedAssetTypes: [SIMPLE_ASSET_TYPES[1]],
    language: LANGUAGES[0],
    associatedLocatorType: null,
  },
  {
    id: '903',
    name: 'Playlist FR',
    type: 'PLAYLIST',
    description: 'French output',
    acceptedAssetTypes: [SIMPLE_ASSET_TYPES[0]],
    language: LANGUAGES[1],
    associatedLocatorType: locatorTypeNamed('Segment'),
  },
];

/**
 * The channels CG and subtitles assets are associated to video assets on, named as the doc's examples name
 * them. Added by migration 004 (after 002 loaded the rest), listed by `studioChannels` like the others.
 */
export const ASSOCIATION_STUDIO_CHANNELS = [
  {
    id: '904',
    name: 'CG',
    type: 'PLAYLIST',
    description: 'Graphics over the programme',
    acceptedAssetTypes: CG_TYPES,
    language: null,
    associatedLocatorType: null,
  },
  {
    id: '905',
    name: 'Subtitle',
    type: 'PLAYLIST',
    description: 'Subtitles of the programme',
    acceptedAssetTypes: SUBTITLES_TYPES,
    language: null,
    associatedLocatorType: null,
  },
];
