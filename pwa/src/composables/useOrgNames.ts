import { computed } from 'vue';
import { orgNames } from '#shared/org/names.ts';
import * as data from '../data/index.ts';
import { useWatchable } from './useWatchable.ts';

const directory = useWatchable(data.org);
const names = computed(() => orgNames(directory.value));

/** Names for unit and user ids (from the organisation last fetched); unknown ids show as themselves. */
export function useOrgNames() {
  return names;
}
