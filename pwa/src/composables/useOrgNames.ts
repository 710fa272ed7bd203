import { computed, shallowRef } from 'vue';
import { orgNames } from '#shared/org/names.ts';
import * as data from '../data/index.ts';

const directory = shallowRef(data.org.value);
data.org.watch((value) => (directory.value = value));
const names = computed(() => orgNames(directory.value));

/** Names for unit and user ids (from the organisation last fetched); unknown ids show as themselves. */
export function useOrgNames() {
  return names;
}
