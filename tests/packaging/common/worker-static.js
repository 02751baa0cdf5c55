// A module worker that imports the SDK by its path and checks it.
import * as sdk from '../node_modules/schacc-sdk/index.js';
import { check } from './check.js';

self.onmessage = async (event) => self.postMessage(await check(sdk, event.data));
