import type { Region } from '@app/identity';

/** How each ITL1 region is published: its name and, for England's regions, the ONS region code. */
export const REGION_LOCATIONS: Record<Region, { name: string; geoCode?: string }> = {
  'north-east': { name: 'North East', geoCode: 'E12000001' },
  'north-west': { name: 'North West', geoCode: 'E12000002' },
  'yorkshire-humber': { name: 'Yorkshire and The Humber', geoCode: 'E12000003' },
  'east-midlands': { name: 'East Midlands', geoCode: 'E12000004' },
  'west-midlands': { name: 'West Midlands', geoCode: 'E12000005' },
  'east-of-england': { name: 'East of England', geoCode: 'E12000006' },
  london: { name: 'London', geoCode: 'E12000007' },
  'south-east': { name: 'South East', geoCode: 'E12000008' },
  'south-west': { name: 'South West', geoCode: 'E12000009' },
  wales: { name: 'Wales' },
  scotland: { name: 'Scotland' },
  'northern-ireland': { name: 'Northern Ireland' },
};
