/** The notebook's views: the list of notebooks, an open notebook, its cells and their editors. */
export { default as NotebookList } from './NotebookList.svelte';
export { default as NotebookEditor } from './NotebookEditor.svelte';
