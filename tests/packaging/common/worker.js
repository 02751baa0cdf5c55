// A module worker that imports the SDK by its package name and checks it.
import * as sdk from 'schacc-sdk';
import { check } from './check.js';

self.onmessage = async (event) => self.postMessage(await check(sdk, event.data));
