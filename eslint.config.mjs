// The n8n community-node lint rules, as @n8n/node-cli ships them (strict / n8n Cloud profile).
import { config } from '@n8n/node-cli/eslint';

export default config;
