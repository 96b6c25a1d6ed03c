export * from './document-loader.js';
export * from './keys.js';
export * from './recipient.js';
export {
  CRYPTOSUITE_NAME,
  canonicalise,
  signDocument,
  xsdDateTime,
  type DataIntegrityProofDocument,
  type SignOptions,
} from './signing.js';
export * from './credential.js';
export * from './status-list.js';
export * from './ob2.js';
export * from './png.js';
export * from './baking.js';
export * from './svg-sanitiser.js';
export { XmlSyntaxError } from './svg-xml.js';
export * from './image-data-uri.js';
