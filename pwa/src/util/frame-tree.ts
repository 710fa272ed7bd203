/**
 * The inbox's last frame as data (shared/local/first-frame.ts), recorded from the DOM Vue drew, and taken away
 * once Vue draws its own. index.html's early read (pwa/scripts/early-read.ts) rebuilds it.
 */
import { CLOCK_ATTRIBUTE, FIRST_FRAME_ROOT_ID, FRAME_ATTRIBUTE, FRAME_REFUSED_TAGS, FRAME_STYLE, type FrameNode } from '#shared/local/first-frame.ts';

const SVG = 'http://www.w3.org/2000/svg';

/**
 * `root`'s children as a frame's tree: elements with the attributes and inline style properties a frame keeps
 * (`FRAME_ATTRIBUTE`, `FRAME_STYLE`), text as text (blank inside a `CLOCK_ATTRIBUTE` element), no comments.
 */
export function frameTree(root: Element): FrameNode[] {
  return childrenOf(root, false);
}

function childrenOf(parent: Element, blank: boolean): FrameNode[] {
  const children: FrameNode[] = [];
  for (const child of parent.childNodes) {
    const node = nodeOf(child, blank);
    if (node !== null) children.push(node);
  }
  return children;
}

function nodeOf(node: Node, blank: boolean): FrameNode | null {
  if (node.nodeType === Node.TEXT_NODE) return blank ? '' : (node.nodeValue ?? '');
  if (!(node instanceof HTMLElement || node instanceof SVGElement) || FRAME_REFUSED_TAGS.includes(node.localName.toLowerCase())) return null;
  const attributes = [...node.attributes].filter((attribute) => FRAME_ATTRIBUTE.test(attribute.name)).flatMap((attribute) => [attribute.name, attribute.value]);
  const styles: string[] = [];
  for (const property of node.style) if (FRAME_STYLE.test(property)) styles.push(property, node.style.getPropertyValue(property));
  const tag = node.namespaceURI === SVG ? `svg:${node.localName}` : node.localName;
  return [tag, attributes, styles, ...childrenOf(node, blank || node.hasAttribute(CLOCK_ATTRIBUTE))];
}

/** Takes the drawn frame away (Vue's own is in); false when there was none. */
export function removeFirstFrame(): boolean {
  const drawn = document.getElementById(FIRST_FRAME_ROOT_ID);
  drawn?.remove();
  return drawn !== null;
}
