/**
 * The channels of the demo site's group assets: which kinds of asset each takes. An item goes on the first
 * channel that takes its kind (the doc: "The asset type of the item that is added to the group must
 * correspond with the group channels configuration"); a kind no channel takes is MUST_MATCH_ANY_GROUP_CHANNEL.
 * Kinds are the AssetIfc implementations. No query lists group channels, so they are not in SITE.
 */
export interface GroupChannel {
  /** The first number of the ids of the items on it ("1:1:1"). */
  number: number;
  name: string;
  acceptedAssetKinds: readonly string[];
}

export const GROUP_CHANNELS: readonly GroupChannel[] = [
  { number: 1, name: 'Video', acceptedAssetKinds: ['VideoAsset', 'ClipAsset', 'TxVersionAsset', 'EDLAsset'] },
  { number: 2, name: 'Audio', acceptedAssetKinds: ['AudioAsset'] },
  { number: 3, name: 'Graphics', acceptedAssetKinds: ['CGAsset', 'ImageAsset'] },
  { number: 4, name: 'Subtitles', acceptedAssetKinds: ['SubtitlesAsset'] },
];

export function groupChannelFor(assetKind: string): GroupChannel | undefined {
  return GROUP_CHANNELS.find((channel) => channel.acceptedAssetKinds.includes(assetKind));
}
